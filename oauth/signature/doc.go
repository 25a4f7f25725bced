// Package signature is how Magento 2.4.7 reads and signs an OAuth 1.0a
// request: the parameter extraction, the request URL, the base string and
// the HMAC, with no store, so that a client, a gateway or a provider
// computes exactly what Magento computes. Package oauth's
// [github.com/magekit/magekit/oauth.Provider] verifies requests with it.
//
// A connector that passes against these rules must work against a real
// Magento 2.4.7, and one that fails there must fail here the same way. So
// the rules are Magento's, including where they depart from RFC 5849
// (docs/magento-behaviour.md §9.2): parameters come from the Authorization
// header, a form body parsed with PHP's parse_str and the raw query split
// Magento's way ([Profile.Params], docs/magento-behaviour.md §7.2); the URL
// is the Host header and the request-target as sent ([RequestURL],
// docs/magento-behaviour.md §7.3), normalised as laminas-oauth does
// ([Profile.BaseURI], docs/magento-behaviour.md §9.1 step 5); encoded names
// are sorted in PHP natural order; only HMAC-SHA256 is accepted. The rules
// are a [Profile]: [Magento247] is the zero value, [Magento243] is the
// pre-2.4.4 behaviour (HMAC-SHA1, the path as received), [RFC5849] is the
// RFC read strictly (§3.4.1 base string, §3.4.2 HMAC). The signature
// vectors of testdata/vectors-2.4.7.json, computed by the real Magento
// signing code (testdata/README.md), pin the default profile; oauthlib's
// column of them pins RFC5849.
//
// # Usage
//
// A client signs, or a gateway checks, with [ReadRequest] (or a [Request]
// built by hand), [Profile.Params], [Profile.BaseString], [Profile.Sign] and
// [AuthorizationHeader]. A provider reads a request once with
// [Profile.Extract] and checks it step by step with the [Signed] it gets:
// [Signed.Get] for each parameter its checks read, [Signed.BuildBase], then
// [Signed.Matches] with the secrets from its store (BenchmarkPurePath: no
// allocation for a signed GET with four query parameters; the Signed itself
// is pooled). Matches keeps the keyed HMAC state of the credential pairs
// that sign often, up to 16,384 of them (about 6 MiB), so that a pair's
// next request hashes its base string and nothing more: the package's one
// piece of state, shared by every Signed and safe for concurrent use.
//
// The signature doctor explains a mismatch: [Signed.Diagnose] and
// [Profile.Diagnose] recompute the signature as the usual client mistakes
// would and name the first that reproduces the client's (a [Diagnosis], one
// of the Rule constants; docs/signature-doctor.md).
//
// Everything here is safe for concurrent use, and pure but for that
// cache, except that a [Signed] belongs to one goroutine until it is
// released.
package signature
