package journal

import (
	"bytes"
	"context"
	"io"
	"net/http"
)

// Bounds on the request headers and body a journal entry keeps.
const (
	// MaxBody is how many bytes of a request body a journal entry
	// keeps; a longer body is kept cut, with RequestBodyTruncated set.
	MaxBody = 16 << 10
	// maxJournalHeaders is how many headers an entry keeps, by name order.
	maxJournalHeaders = 64
	// maxJournalHeader is how long one header value may be, and
	// maxJournalHeaderName one header name.
	maxJournalHeader     = 1024
	maxJournalHeaderName = 128
	// maxJournalHeaderBytes is how many bytes of names and values an
	// entry keeps in all.
	maxJournalHeaderBytes = 16 << 10
)

// capture records what the REST server reads of a request body, up to
// MaxBody bytes, for the journal. It passes every byte through and
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
		room := MaxBody - c.buf.Len()
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

// captureKey is the context key under which Capture hands a request's
// capture to the observer that journals it: request-scoped data, read in
// the same call.
type captureKey struct{}

// Capture returns r with its body wrapped so that what the server reads of
// it, up to [MaxBody] bytes, is kept for [Entry.SetRequest]. The wrapper
// passes every byte through and never reads on its own.
func Capture(r *http.Request) *http.Request {
	c := &capture{rc: r.Body}
	if r.Body == nil || r.Body == http.NoBody {
		c.rc = http.NoBody
	}
	r2 := r.WithContext(context.WithValue(r.Context(), captureKey{}, c))
	r2.Body = c
	return r2
}

// captureFrom returns the capture ServeHTTP attached to r, if any.
func captureFrom(r *http.Request) *capture {
	if r == nil {
		return nil
	}
	c, _ := r.Context().Value(captureKey{}).(*capture)
	return c
}

// SetRequest fills the entry's RequestHeaders and RequestBody from r and
// its capture, every secret redacted. Without a capture (journal bodies
// off) it does nothing.
func (e *Entry) SetRequest(r *http.Request) {
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
