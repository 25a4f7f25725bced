package journal

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/magekit/magekit/oauth/signature"
)

// redacted replaces the value of a sensitive parameter in the journal.
const redacted = "REDACTED"

// withheld stands for a body that could not be parsed for redaction and
// names a secret: the journal keeps no part of it.
const withheld = "WITHHELD: the body could not be parsed and may hold a secret"

// sensitiveWords are the words whose presence in a parameter's name makes
// its value a secret.
var sensitiveWords = [...]string{"signature", "verifier", "token", "secret", "password"}

// sensitiveName reports whether a parameter named name (decoded) carries a
// secret: oauth_signature, oauth_verifier, oauth_token (an access token is
// a bearer credential when oauth/consumer/enable_integration_as_bearer is
// on), a password or a secret of any kind. oauth_signature_method names an
// algorithm, not a secret, and is what a developer comparing base strings
// needs to see, so it is kept. Every redaction of the journal asks this
// one function.
func sensitiveName(name string) bool {
	name = strings.ToLower(name)
	if name == signature.ParamSignatureMethod {
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

// pairList is how one of the journal's inputs writes its name=value
// pairs; [pairList.redact] is the one redaction loop they all go through.
type pairList struct {
	sep      string                       // between pairs: "&" or ","
	unescape func(string) (string, error) // reads a raw name
	// header marks the OAuth Authorization header: values are written
	// "quoted", names may be padded with spaces, and a piece that is not a
	// well-formed pair (a value cut by a comma it held, an unterminated
	// quote, a bare word) is REDACTED whole, since it may be part of a
	// secret.
	header bool
}

var (
	// queryPairs are a query string's and a form body's pairs.
	queryPairs = pairList{sep: "&", unescape: url.QueryUnescape}
	// basePairs are a signature base string's parameters, once decoded:
	// each name is rawurlencoded, where '+' is a plus sign.
	basePairs = pairList{sep: "&", unescape: url.PathUnescape}
	// headerPairs are the parameters of an OAuth Authorization header.
	headerPairs = pairList{sep: ",", unescape: url.QueryUnescape, header: true}
)

// redact replaces the value of every sensitive pair of s by REDACTED (and
// every malformed piece of a header), the rest as written, and reports
// whether it changed anything.
func (l pairList) redact(s string) (string, bool) {
	pieces := strings.Split(s, l.sep)
	changed := false
	for i, p := range pieces {
		eq := strings.IndexByte(p, '=')
		switch {
		case eq >= 0 && redactName(strings.TrimSpace(p[:eq]), l.unescape):
			if l.header {
				pieces[i] = p[:eq+1] + `"` + redacted + `"`
			} else {
				pieces[i] = p[:eq+1] + redacted
			}
		case l.header && !wellFormedHeaderPair(p, eq):
			pieces[i] = p[:len(p)-len(strings.TrimLeft(p, " \t"))] + redacted
		default:
			continue // a harmless pair, or a name without a value
		}
		changed = true
	}
	if !changed {
		return s, false
	}
	return strings.Join(pieces, l.sep), true
}

// wellFormedHeaderPair reports whether the piece p of an OAuth header,
// whose first '=' is at eq, is name=value or name="value" with no stray
// quote in the name or the value.
func wellFormedHeaderPair(p string, eq int) bool {
	if eq < 0 {
		return strings.TrimSpace(p) == ""
	}
	name, value := strings.TrimSpace(p[:eq]), strings.TrimSpace(p[eq+1:])
	if name == "" || strings.ContainsAny(name, "\" \t") {
		return false
	}
	if unquoted, ok := strings.CutPrefix(value, `"`); ok {
		inner, ok := strings.CutSuffix(unquoted, `"`)
		return ok && !strings.Contains(inner, `"`)
	}
	return !strings.Contains(value, `"`)
}

// redactQuery returns the raw query q with the value of every sensitive
// parameter replaced by REDACTED, the rest as sent.
func redactQuery(q string) string {
	out, _ := queryPairs.redact(q)
	return out
}

// redactBaseString returns the signature base string b of a call of route
// with the value of every sensitive parameter (oauth_token, oauth_verifier
// on the access-token step, a password in a signed form body) and every
// sensitive path parameter of the route (see [redactPath]) replaced by
// REDACTED. The rest stays byte for byte, so it can still be compared with
// the client's.
func redactBaseString(b, route string) string {
	method, rest, ok := strings.Cut(b, "&")
	if !ok {
		return b
	}
	uri, params, ok := strings.Cut(rest, "&")
	if !ok {
		return b
	}
	if secretPathParams(route) != nil {
		plainURI, err := url.PathUnescape(uri)
		if err != nil {
			uri = redacted // fail closed
		} else if scheme, hostPath, ok := strings.Cut(plainURI, "://"); ok {
			host, path, _ := strings.Cut(hostPath, "/")
			uri = signature.PercentEncode(scheme + "://" + host + redactPath("/"+path, route))
		} else {
			uri = redacted
		}
	}
	// The parameter string is encoded once more inside the base string;
	// its pieces, name=value joined by '&', are encoded once.
	plain, err := url.PathUnescape(params)
	if err != nil {
		return method + "&" + uri + "&" + redacted // fail closed
	}
	if out, changed := basePairs.redact(plain); changed {
		params = signature.PercentEncode(out)
	}
	return method + "&" + uri + "&" + params
}

// secretPathParams returns the indexes, among the segments of route
// (trimmed of '/'), of the path parameters with a sensitive name, such as
// :resetPasswordLinkToken; nil when there are none.
func secretPathParams(route string) []int {
	if !strings.Contains(route, ":") {
		return nil
	}
	var secret []int
	for i, s := range strings.Split(strings.Trim(route, "/"), "/") {
		if name, ok := strings.CutPrefix(s, ":"); ok && sensitiveName(name) {
			secret = append(secret, i)
		}
	}
	return secret
}

// redactPath returns the escaped path of a call of route with the segments
// that fill a sensitive path parameter REDACTED (GET
// /V1/customers/:customerId/password/resetLinkToken/:resetPasswordLinkToken
// carries a password reset token). The route matched the path's last
// segments, below /rest and the store code; a path too short for its route
// is withheld whole.
func redactPath(path, route string) string {
	secret := secretPathParams(route)
	if secret == nil {
		return path
	}
	trimmed := strings.TrimRight(path, "/")
	segs := strings.Split(trimmed, "/")
	off := len(segs) - len(strings.Split(strings.Trim(route, "/"), "/"))
	if off < 1 {
		return redacted
	}
	for _, i := range secret {
		segs[off+i] = redacted
	}
	return strings.Join(segs, "/") + path[len(trimmed):]
}

// redactHeaders returns the headers as a journal keeps them: one value per
// name (several joined by ", "), at most maxJournalHeaders names in name
// order, each name and value cut, maxJournalHeaderBytes in all (the
// headers past it are left out), and secrets redacted: Authorization
// keeps its scheme and, for OAuth, every parameter but the sensitive ones;
// Cookie and any header whose name is sensitive read REDACTED.
func redactHeaders(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) > maxJournalHeaders {
		names = names[:maxJournalHeaders]
	}
	out := make(map[string]string, len(names))
	total := 0
	for _, name := range names {
		v := strings.Join(h[name], ", ")
		switch lower := strings.ToLower(name); {
		case lower == "authorization":
			v = redactAuthorization(v)
		case lower == "cookie" || lower == "set-cookie" || sensitiveName(lower):
			v = redacted
		}
		name, v = Cut(name, maxJournalHeaderName), Cut(v, maxJournalHeader)
		if total += len(name) + len(v); total > maxJournalHeaderBytes {
			break
		}
		out[name] = v
	}
	return out
}

// redactAuthorization keeps the scheme of an Authorization header; of an
// OAuth header it keeps the parameters too, with every sensitive value
// (oauth_signature, oauth_token, oauth_verifier) and every malformed
// piece REDACTED.
func redactAuthorization(v string) string {
	scheme, params, _ := strings.Cut(strings.TrimSpace(v), " ")
	if !strings.EqualFold(scheme, "OAuth") {
		return scheme + " " + redacted
	}
	out, _ := headerPairs.redact(params)
	return "OAuth " + out
}

// redactBody returns body as the journal keeps it: a JSON body with the
// value of every sensitive key REDACTED at any depth, a form body with the
// sensitive pairs REDACTED, any other body as sent when no sensitive name
// can be in it. A body that cannot be parsed for its type, or was cut (a
// cut document cannot be parsed), is kept only when no sensitive word, no
// '%' and no '\' (either may escape a name) appears in it; else it is
// withheld whole.
func redactBody(contentType string, body []byte, truncated bool) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	if !truncated {
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			var v any
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if dec.Decode(&v) == nil && !dec.More() {
				if !redactJSON(v) {
					return string(body)
				}
				if b, err := json.Marshal(v); err == nil {
					return string(b)
				}
			}
		case mt == "application/x-www-form-urlencoded":
			out, _ := queryPairs.redact(string(body))
			return out
		}
	}
	if mentionsSecret(body) {
		return withheld
	}
	return string(body)
}

// redactJSON replaces, in place, the value of every object key that is a
// sensitive name, at any depth, and reports whether it replaced any.
func redactJSON(v any) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if sensitiveName(k) {
				x[k] = redacted
				changed = true
				continue
			}
			if redactJSON(sub) {
				changed = true
			}
		}
	case []any:
		for _, sub := range x {
			if redactJSON(sub) {
				changed = true
			}
		}
	}
	return changed
}

// mentionsSecret reports whether b holds one of the sensitive words in
// any case, a percent sign or a backslash (an escaped name may hide one:
// t%6Fken, t\u006fken).
func mentionsSecret(b []byte) bool {
	lower := bytes.ToLower(b)
	for _, s := range sensitiveWords {
		if bytes.Contains(lower, []byte(s)) {
			return true
		}
	}
	return bytes.ContainsAny(b, `%\`)
}
