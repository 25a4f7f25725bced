// Package oauth is Magento 2.4.7's OAuth 1.0a provider: the credentials,
// consumers, tokens and nonces it keeps, the two token endpoints of the
// integration handshake and the verification of signed REST requests, with
// Magento's messages, statuses and order of checks. How a request is read
// and signed (parameter extraction, request URL, base string, HMAC, the
// profiles 2.4.7, 2.4.3 and RFC 5849, the signature doctor) is package
// [github.com/magekit/magekit/oauth/signature]; this package adds the
// store, the clock and the checks.
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
// A client or a gateway signs or checks without a store with package
// signature.
//
// The signature doctor explains a mismatch: with
// Config.DiagnoseSignatures, a signature failure carries a
// signature.Diagnosis ([DiagnosisOf]) naming the signing rule the client
// broke, found by recomputing the signature as the usual client mistakes
// would (docs/signature-doctor.md); signature.Profile.Diagnose does the
// same for any request.
//
// Everything here is safe for concurrent use; the store decides what is
// atomic: nonces are unique per consumer by the store, and a request token
// is exchanged once by the store's compare-and-set ([TokenStore.UpdateToken]).
package oauth
