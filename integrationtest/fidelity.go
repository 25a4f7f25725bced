package integrationtest

// WithStoreCodes sets the codes of the store's views (default "default",
// the one store view of a fresh install): /rest/<code>/V1/... serves them
// and "all"; any other first segment answers 400 "Specified request cannot
// be processed." as Magento answers it (docs/magento-fidelity.md §1).
func WithStoreCodes(codes ...string) Option {
	return func(s *setup) { s.cfg.StoreCodes = codes }
}

// WithTwoFactor enables Magento_TwoFactorAuth with Google Authenticator
// forced, as on a stock 2.4.7 store (docs/magento-fidelity.md §5), and
// gives the admin user the Google secret adminSecret (Base32). POST
// /rest/V1/integration/admin/token then refuses to issue tokens, and
// [Server.AdminToken] gets them from the Google route instead. With an
// empty adminSecret the admin has no secret, so no admin token, and the
// helpers that need one fail the test.
func WithTwoFactor(adminSecret string) Option {
	return func(s *setup) { s.cfg.TwoFactor, s.cfg.AdminGoogleSecret = true, adminSecret }
}
