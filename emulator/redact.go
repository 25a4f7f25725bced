package emulator

import (
	"net/url"
	"strings"

	"github.com/magekit/magekit/oauth"
)

// redacted replaces the value of a sensitive parameter in the journal.
const redacted = "REDACTED"

// sensitiveName reports whether a parameter named name carries a secret:
// oauth_signature, oauth_verifier, oauth_token (an access token is a bearer
// credential when oauth/consumer/enable_integration_as_bearer is on), a
// password or a secret of any kind.
func sensitiveName(name string) bool {
	name = strings.ToLower(name)
	for _, s := range [...]string{"signature", "verifier", "token", "secret", "password"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// redactQuery returns the raw query q with the value of every sensitive
// parameter replaced by REDACTED, the rest as sent.
func redactQuery(q string) string {
	if q == "" {
		return q
	}
	if out, changed := redactPairs(q, url.QueryUnescape); changed {
		return out
	}
	return q
}

// redactBaseString returns the signature base string b with the value of
// every sensitive parameter (oauth_token, oauth_verifier on the
// access-token step, a password in a signed form body) replaced by
// REDACTED. The rest stays
// byte for byte, so it can still be compared with the client's.
func redactBaseString(b string) string {
	method, rest, ok := strings.Cut(b, "&")
	if !ok {
		return b
	}
	uri, params, ok := strings.Cut(rest, "&")
	if !ok {
		return b
	}
	// The parameter string is encoded once more inside the base string;
	// its pieces, name=value joined by '&', are encoded once.
	plain, err := url.PathUnescape(params)
	if err != nil {
		return b
	}
	out, changed := redactPairs(plain, url.PathUnescape)
	if !changed {
		return b
	}
	return method + "&" + uri + "&" + oauth.PercentEncode(out)
}

// redactPairs replaces the value of every sensitive name=value pair of the
// '&'-joined list s by REDACTED, reading each name with unescape (the rest
// stays as written), and reports whether it changed anything.
func redactPairs(s string, unescape func(string) (string, error)) (string, bool) {
	pieces := strings.Split(s, "&")
	changed := false
	for i, p := range pieces {
		name, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		if dec, err := unescape(name); err == nil {
			name = dec
		}
		if sensitiveName(name) {
			pieces[i] = p[:strings.IndexByte(p, '=')+1] + redacted
			changed = true
		}
	}
	if !changed {
		return s, false
	}
	return strings.Join(pieces, "&"), true
}
