// Package oauth is Magento 2.4.7's OAuth 1.0a provider: the parameter
// extraction, base string and signature rules Magento applies, the
// credentials, consumers, tokens and nonces it keeps, the two token
// endpoints of the integration handshake and the verification of signed
// REST requests, with Magento's messages and statuses.
//
// A connector that passes against this package must work against a real
// Magento 2.4.7, and one that fails there must fail here the same way. So
// the rules are Magento's, including where they depart from RFC 5849
// (docs/magento-behaviour.md §9.2): parameters come from the Authorization header, a form body
// parsed with PHP's parse_str and the raw query split Magento's way
// ([Profile.Params], docs/magento-behaviour.md §7.2); the URL is the Host header and the
// request-target as sent ([RequestURL], docs/magento-behaviour.md §7.3), normalised as
// laminas-oauth does ([Profile.BaseURI], docs/magento-behaviour.md §9.1 step 5); encoded names
// are sorted in PHP natural order; only HMAC-SHA256 is accepted. The rules
// are a [Profile]: [Magento247] is the zero value, [Magento243] is the
// pre-2.4.4 behaviour (HMAC-SHA1, the path as received), [RFC5849] is the
// RFC read strictly (§3.4.1 base string, §3.4.2 HMAC). The signature
// vectors of testdata/vectors-2.4.7.json, computed by the real Magento signing code,
// pin the default profile; oauthlib's column of them pins RFC5849.
//
// Failures are *magerr.Error values carrying Magento's message template,
// parameters and class, so each transport renders them as Magento does:
// oauth_problem=... on the /oauth/token endpoints
// ([Provider.ServeRequestToken], docs/magento-behaviour.md §8.4), JSON for
// REST (§7.4). Callers tell them apart with errors.Is and the exported
// sentinels ([ErrSignatureInvalid], [ErrNonceUsed], ...), which match by
// class and template whatever the parameters. An error that is not
// Magento's (a store failing) reaches a client only as Magento's report-id
// message; its text goes to the log.
//
// Checks run in Magento's order (docs/magento-behaviour.md §8.2): version,
// required parameters, token length, signature method, consumer, nonce and
// timestamp (the nonce is spent before the signature is checked), the
// consumer's expiry window on the request-token step, token checks,
// signature.
//
// # Usage
//
// A host mounts the endpoints and wraps its REST routes:
//
//	p := oauth.NewProvider(store, oauth.Config{
//		OnAccess: func(ctx context.Context, tx oauth.Store, consumerID int64) error {
//			return activate(ctx, tx, consumerID) // the integration becomes Active
//		},
//	})
//	mux.Handle("/oauth/token/request", p.RequestTokenHandler())
//	mux.Handle("/oauth/token/access", p.AccessTokenHandler())
//	mux.Handle("/rest/", p.Middleware(api))
//
// and reads the verified [Identity] with [IdentityFromContext], or calls
// [Provider.Verify] itself. The activation that precedes the handshake
// creates the consumer and calls [IssueVerifier]; the direct path calls
// [IssueVerifier], [IssueRequestToken] and [IssueAccessToken] in a row.
//
// A client or a gateway signs or checks without a store: [ReadRequest] (or
// a [Request] built by hand), [Profile.Params], [Profile.BaseString],
// [Profile.Sign], [AuthorizationHeader].
//
// The signature doctor explains a mismatch: with
// Config.DiagnoseSignatures, a signature failure carries a [Diagnosis]
// ([DiagnosisOf]) naming the signing rule the client broke, found by
// recomputing the signature as the usual client mistakes would
// (docs/signature-doctor.md); [Profile.Diagnose] does the same for any
// request.
//
// Everything here is safe for concurrent use; the store decides what is
// atomic: nonces are unique per consumer by the store, and a request token
// is exchanged once by the store's compare-and-set ([TokenStore.UpdateToken]).
package oauth
