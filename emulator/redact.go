package emulator

import (
	"net/url"
	"strings"

	"github.com/magekit/magekit/oauth"
)

// redacted replaces the value of a sensitive parameter in the journal.
const redacted = "REDACTED"

// sensitiveWords are the words whose presence in a parameter's name makes
// its value a secret.
var sensitiveWords = [...]string{"signature", "verifier", "token", "secret", "password"}

// sensitiveName reports whether a parameter named name (decoded) carries a
// secret: oauth_signature, oauth_verifier, oauth_token (an access token is
// a bearer credential when oauth/consumer/enable_integration_as_bearer is
// on), a password or a secret of any kind. oauth_signature_method names an
// algorithm, not a secret, and is what a developer comparing base strings
// needs to see, so it is kept.
func sensitiveName(name string) bool {
	name = strings.ToLower(name)
	if name == oauth.ParamSignatureMethod {
		return false
	}
	for _, s := range sensitiveWords {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// redactName reports whether the value of a parameter whose name is
// written raw must be redacted: when its decoded name is sensitive, and
// when the name cannot be decoded at all, since the journal cannot tell
// what it names (fail closed).
func redactName(raw string, unescape func(string) (string, error)) bool {
	name, err := unescape(raw)
	if err != nil {
		return true
	}
	return sensitiveName(name)
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
		return method + "&" + uri + "&" + redacted // fail closed
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
		if redactName(name, unescape) {
			pieces[i] = p[:strings.IndexByte(p, '=')+1] + redacted
			changed = true
		}
	}
	if !changed {
		return s, false
	}
	return strings.Join(pieces, "&"), true
}
