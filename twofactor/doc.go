// Package twofactor is Magento_TwoFactorAuth's Google Authenticator as
// Magento 2.4.7 runs it with twofactorauth/general/force_providers =
// google: the TOTP codes (RFC 6238 over HMAC-SHA1, 30-second steps, 6
// digits, as spomky-labs/otphp computes them), the Base32 shared secrets,
// the leeway of twofactorauth/google/otp_window, and the secrets of the
// admin users who configured it (docs/magento-fidelity.md §5). The REST
// surface (package webapi) serves its token routes; a harness computes the
// "otp" a connector sends with [TOTP].
package twofactor
