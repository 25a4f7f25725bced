package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Bounds on the request headers and body a journal entry keeps.
const (
	// MaxJournalBody is how many bytes of a request body a journal entry
	// keeps; a longer body is kept cut, with RequestBodyTruncated set.
	MaxJournalBody = 16 << 10
	// maxJournalHeaders is how many headers an entry keeps, by name order.
	maxJournalHeaders = 64
	// maxJournalHeader is how long one header value may be.
	maxJournalHeader = 1024
)

// withheld stands for a body that could not be parsed for redaction and
// names a secret: the journal keeps no part of it.
const withheld = "WITHHELD: the body could not be parsed and may hold a secret"

// capture records what the REST server reads of a request body, up to
// MaxJournalBody bytes, for the journal. It passes every byte through and
// never reads on its own, so the server sees the body as sent and its own
// limits and errors stay in force.
type capture struct {
	rc        io.ReadCloser
	buf       bytes.Buffer
	truncated bool
}

func (c *capture) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	if n > 0 {
		room := MaxJournalBody - c.buf.Len()
		switch {
		case room >= n:
			c.buf.Write(p[:n])
		case room > 0:
			c.buf.Write(p[:room])
			c.truncated = true
		default:
			c.truncated = true
		}
	}
	return n, err
}

func (c *capture) Close() error { return c.rc.Close() }

// captureKey is the context key under which ServeHTTP hands a request's
// capture to the observer that journals it: request-scoped data, read in
// the same call.
type captureKey struct{}

// withCapture returns r with its body wrapped in a capture, and the
// capture; r itself and nil when the journal keeps no bodies.
func (e *Emulator) withCapture(r *http.Request) (*http.Request, *capture) {
	if !e.journalBodies {
		return r, nil
	}
	c := &capture{rc: r.Body}
	if r.Body == nil || r.Body == http.NoBody {
		c.rc = http.NoBody
	}
	r2 := r.WithContext(context.WithValue(r.Context(), captureKey{}, c))
	r2.Body = c
	return r2, c
}

// captureFrom returns the capture ServeHTTP attached to r, if any.
func captureFrom(r *http.Request) *capture {
	if r == nil {
		return nil
	}
	c, _ := r.Context().Value(captureKey{}).(*capture)
	return c
}

// setRequest fills the entry's RequestHeaders and RequestBody from r and
// its capture, every secret redacted. Without a capture (journal bodies
// off) it does nothing.
func setRequest(e *JournalEntry, r *http.Request) {
	c := captureFrom(r)
	if c == nil {
		return
	}
	e.RequestHeaders = redactHeaders(r.Header)
	if c.buf.Len() > 0 {
		e.RequestBody = redactBody(r.Header.Get("Content-Type"), c.buf.Bytes(), c.truncated)
		e.RequestBodyTruncated = c.truncated
	}
}

// redactHeaders returns the headers as a journal keeps them: one value per
// name (several joined by ", "), at most maxJournalHeaders names in name
// order, each value cut, and secrets redacted: Authorization keeps its
// scheme and, for OAuth, every parameter but the sensitive ones; Cookie
// and any header whose name is sensitive read REDACTED.
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
	for _, name := range names {
		v := strings.Join(h[name], ", ")
		switch lower := strings.ToLower(name); {
		case lower == "authorization":
			v = redactAuthorization(v)
		case lower == "cookie" || lower == "set-cookie" || sensitiveName(lower):
			v = redacted
		}
		out[name] = cut(v, maxJournalHeader)
	}
	return out
}

// redactAuthorization keeps the scheme of an Authorization header; of an
// OAuth header it keeps the parameters too, with every sensitive value
// (oauth_signature, oauth_token, oauth_verifier) REDACTED.
func redactAuthorization(v string) string {
	scheme, params, _ := strings.Cut(strings.TrimSpace(v), " ")
	if !strings.EqualFold(scheme, "OAuth") {
		return scheme + " " + redacted
	}
	pieces := strings.Split(params, ",")
	for i, p := range pieces {
		name, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		if redactName(strings.TrimSpace(name), url.QueryUnescape) {
			pieces[i] = p[:strings.IndexByte(p, '=')+1] + `"` + redacted + `"`
		}
	}
	return "OAuth " + strings.Join(pieces, ",")
}

// redactBody returns body as the journal keeps it: a JSON body with the
// value of every sensitive key REDACTED at any depth, a form body with the
// sensitive pairs REDACTED, any other body as sent when no sensitive name
// appears in it. A body that cannot be parsed for its type, or was cut
// (a cut document cannot be parsed), is kept only when no sensitive name
// appears in it; else it is withheld whole.
func redactBody(contentType string, body []byte, truncated bool) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	if !truncated {
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			var v any
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if dec.Decode(&v) == nil && !dec.More() {
				if redactJSON(v) {
					if b, err := json.Marshal(v); err == nil {
						return string(b)
					}
				} else {
					return string(body)
				}
			}
		case mt == "application/x-www-form-urlencoded":
			if out, changed := redactPairs(string(body), url.QueryUnescape); changed {
				return out
			}
			return string(body)
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
// any case, or a percent sign (an escaped name may hide one).
func mentionsSecret(b []byte) bool {
	lower := bytes.ToLower(b)
	for _, s := range sensitiveWords {
		if bytes.Contains(lower, []byte(s)) {
			return true
		}
	}
	return bytes.IndexByte(b, '%') >= 0
}
