package journal

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi"
)

// DefaultSize is how many requests an emulator's journal keeps
// when Config.JournalSize is zero: the most recent ones.
const DefaultSize = 10_000

// Bounds on what one journal entry keeps, so that the journal's memory is
// bounded whatever the requests look like. Longer values are cut and end
// with "...".
const (
	MaxPath  = 2048 // path and query, each
	maxBase  = 8192 // base string
	MaxParam = 1024 // each message parameter
)

// Entry is one request an emulator answered, as GET
// /rest/V1/emulator/journal lists it. It never holds a secret: in Query,
// BaseString and the request's headers and body the value of every
// parameter whose name holds "signature", "verifier", "token", "secret" or
// "password" (oauth_signature_method aside) reads REDACTED, and so does a
// path segment that fills such a path parameter of the route
// (:resetPasswordLinkToken). BaseString, present only when a signature did
// not match, holds the request's other signed parameters (the consumer key
// included). The fields are open to more: a new one is added with
// omitempty, so that readers of the JSON shape are not broken.
type Entry struct {
	// ID numbers the entries in the order they were journaled, from 1; it
	// is never reused, not even after a clear, so a harness pages with
	// ?since=<the last ID it read>.
	ID uint64 `json:"id"`
	// Time is when the request arrived, UTC.
	Time time.Time `json:"time"`
	// Method, Path and Query are the request's method, escaped path and raw
	// query as sent, sensitive values redacted (each cut at 2,048 bytes).
	// With a base URL that has a path, Path is below it.
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query"`
	// Route is the matched route's URL pattern, "/V1/products/:sku";
	// empty when none matched.
	Route string `json:"route"`
	// Who is "integration", "admin", "customer" or "guest".
	Who string `json:"who"`
	// Credential is how the caller authenticated: "oauth",
	// "integration-bearer", "admin-token" or "customer-token"; empty for a
	// guest.
	Credential string `json:"credential,omitempty"`
	// IntegrationID is set when Who is "integration"; UserID when Who is
	// "admin" or "customer".
	IntegrationID int64 `json:"integration_id,omitempty"`
	UserID        int64 `json:"user_id,omitempty"`
	// Outcome is how the request was answered: an [webapi.Outcome] ("fixture",
	// "handler", "no_fixture", "no_route", "rejected", "auth_failed",
	// "denied", "https_only", "error", "oauth_token", "success_callback").
	Outcome string `json:"outcome"`
	// Status is the HTTP status answered.
	Status int `json:"status"`
	// Message, Parameters and Errors are the Magento error answered, as the
	// REST error body carries them: the template and its parameters (a
	// JSON array for %1, %2..., an object for named ones), the individual
	// errors of an aggregate. Empty on success.
	Message    string          `json:"message,omitempty"`
	Parameters json.RawMessage `json:"parameters,omitempty"`
	Errors     []Error         `json:"errors,omitempty"`
	// BaseString is the signature base string the emulator computed when
	// it answered "The signature is invalid. Verify and try again.", to
	// compare with the client's, sensitive values redacted (cut at 8,192
	// bytes).
	BaseString string `json:"base_string,omitempty"`
	// Diagnosis is the signature doctor's finding on that failure: which
	// of Magento's signing rules the client broke (docs/signature-doctor.md),
	// its client_base_string redacted and cut as BaseString is. Absent when
	// the signature matched or diagnosis is off.
	Diagnosis *signature.Diagnosis `json:"diagnosis,omitempty"`
	// RequestHeaders and RequestBody are the request's headers (one value
	// per name, at most 64 names, each cut at 1,024 bytes) and body (cut at
	// [MaxBody] bytes, RequestBodyTruncated then true), every secret
	// redacted: the Authorization header keeps its scheme and, for OAuth,
	// its non-secret parameters; Cookie and any header or JSON key or form
	// field whose name holds a sensitive word reads REDACTED; a body that
	// cannot be parsed for redaction and mentions such a word is withheld
	// whole. Absent when Config.NoJournalBodies is set.
	RequestHeaders       map[string]string `json:"request_headers,omitempty"`
	RequestBody          string            `json:"request_body,omitempty"`
	RequestBodyTruncated bool              `json:"request_body_truncated,omitempty"`
}

// maxErrors is how many errors of an aggregate an entry keeps.
const maxErrors = 50

// Error is one error of an aggregate input error in a
// [Entry].
type Error struct {
	Message    string          `json:"message"`
	Parameters json.RawMessage `json:"parameters,omitempty"`
}

// DefaultBytes is how many bytes the entries of an emulator's
// journal may hold together when Config.JournalBytes is zero; past it the
// oldest entries go, whatever JournalSize allows.
const DefaultBytes = 64 << 20

// Journal is a bounded ring of entries, oldest first, bounded both by
// count and by the bytes its entries hold. It is safe for concurrent use;
// add takes one short lock.
type Journal struct {
	mu       sync.Mutex
	size     int     // most entries kept
	maxBytes int     // most bytes kept, by [Entry.footprint]
	ring     []Entry // grows to size; the entries are ring[head:head+n], wrapping
	sizes    []int   // the footprint of each ring slot's entry
	head, n  int
	bytes    int    // the sum of the kept entries' footprints
	seq      uint64 // the last ID given
}

func New(size, maxBytes int) *Journal {
	if size <= 0 {
		size = DefaultSize
	}
	if maxBytes <= 0 {
		maxBytes = DefaultBytes
	}
	return &Journal{size: size, maxBytes: maxBytes}
}

// add appends e with the next ID, dropping the oldest entries while the
// journal is full by count or by bytes.
func (j *Journal) Add(e Entry) {
	fp := e.footprint()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.ID = j.seq
	for j.n > 0 && (j.n == j.size || j.bytes+fp > j.maxBytes) {
		j.ring[j.head], j.bytes = Entry{}, j.bytes-j.sizes[j.head]
		j.head = (j.head + 1) % len(j.ring)
		j.n--
	}
	if j.n == len(j.ring) {
		j.grow()
	}
	i := (j.head + j.n) % len(j.ring)
	j.ring[i], j.sizes[i] = e, fp
	j.n++
	j.bytes += fp
}

// grow makes room for more entries, up to size, keeping their order.
func (j *Journal) grow() {
	c := min(max(2*len(j.ring), 64), j.size)
	ring, sizes := make([]Entry, c), make([]int, c)
	for k := range j.n {
		ring[k], sizes[k] = j.ring[(j.head+k)%len(j.ring)], j.sizes[(j.head+k)%len(j.ring)]
	}
	j.ring, j.sizes, j.head = ring, sizes, 0
}

// at returns the k-th kept entry, oldest first (the lock held).
func (j *Journal) at(k int) *Entry { return &j.ring[(j.head+k)%len(j.ring)] }

// list returns a copy of the entries, oldest first; never nil.
func (j *Journal) List() []Entry { return j.Query(Filter{}) }

// reset forgets every entry and releases their memory; IDs go on from
// where they were.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring, j.sizes, j.head, j.n, j.bytes = nil, nil, 0, 0, 0
}

// entryOverhead is what an entry costs besides the bytes of its strings:
// the struct, the map of headers, the slices' headers.
const entryOverhead = 512

// footprint estimates the bytes e holds: its strings, headers, parameters,
// errors and diagnosis, and a fixed overhead.
func (e *Entry) footprint() int {
	n := entryOverhead + len(e.Method) + len(e.Path) + len(e.Query) + len(e.Route) + len(e.Who) + len(e.Credential) +
		len(e.Outcome) + len(e.Message) + len(e.Parameters) + len(e.BaseString) + len(e.RequestBody)
	for _, sub := range e.Errors {
		n += 64 + len(sub.Message) + len(sub.Parameters)
	}
	for k, v := range e.RequestHeaders {
		n += 48 + len(k) + len(v)
	}
	if d := e.Diagnosis; d != nil {
		if b, err := json.Marshal(d); err == nil {
			n += len(b)
		}
	}
	return n
}

// NewEntry returns the entry of request r, received at t, that matched
// route (a URL pattern; empty for none): its method, escaped path and raw
// query, cut and redacted as [FromEvent] keeps them. The caller fills in
// the rest.
func NewEntry(t time.Time, r *http.Request, route string) Entry {
	return Entry{
		Time:   t.UTC(),
		Method: Cut(r.Method, 32),
		Path:   Cut(redactPath(r.URL.EscapedPath(), route), MaxPath),
		Query:  Cut(redactQuery(r.URL.RawQuery), MaxPath),
		Route:  route,
	}
}

// FromEvent turns a Server event into a journal entry.
func FromEvent(ev webapi.Event) Entry {
	e := Entry{
		Time:       ev.Time.UTC(),
		Method:     Cut(ev.Method, 32),
		Path:       Cut(redactPath(ev.Path, ev.Route), MaxPath),
		Query:      Cut(redactQuery(ev.Query), MaxPath),
		Route:      ev.Route,
		Outcome:    string(ev.Outcome),
		Status:     ev.Status,
		BaseString: Cut(redactBaseString(ev.BaseString, ev.Route), maxBase),
	}
	e.SetCaller(ev.Caller)
	e.SetError(ev.Err)
	if ev.Diagnosis != nil {
		d := *ev.Diagnosis
		d.ClientBaseString = Cut(redactBaseString(d.ClientBaseString, ev.Route), maxBase)
		e.Diagnosis = &d
	}
	return e
}

// SetCaller fills Who, Credential and the ids from c.
func (e *Entry) SetCaller(c webapi.Caller) {
	switch c.Type {
	case user.Integration:
		e.Who, e.IntegrationID = "integration", c.ID
	case user.Admin:
		e.Who, e.UserID = "admin", c.ID
	case user.Customer:
		e.Who, e.UserID = "customer", c.ID
	default:
		e.Who = "guest"
	}
	if c.Credential != webapi.CredentialNone {
		e.Credential = c.Credential.String()
	}
}

// SetError fills Message, Parameters and Errors as the REST error body
// renders err: a Webapi error substituted and without parameters, an
// internal one by the generic template only, any other as template and
// parameters.
func (e *Entry) SetError(err *magerr.Error) {
	if err == nil {
		return
	}
	switch err.Class {
	case magerr.Internal:
		e.Message = magerr.InternalMessage
		return
	case magerr.Webapi:
		e.Message = Cut(err.Text(), MaxParam)
		return
	}
	e.Message = err.Message
	e.Parameters = journalParams(err)
	for i, sub := range err.Errors {
		if i == maxErrors {
			break
		}
		e.Errors = append(e.Errors, Error{Message: sub.Message, Parameters: journalParams(sub)})
	}
}

// journalParams renders err's parameters as the REST error body does: a
// list when positional, an object otherwise; nil when there are none.
func journalParams(err *magerr.Error) json.RawMessage {
	if len(err.Params) == 0 {
		return nil
	}
	var v any
	if err.Positional() {
		l := make([]string, len(err.Params))
		for i, p := range err.Params {
			l[i] = Cut(p.Value, MaxParam)
		}
		v = l
	} else {
		m := make(map[string]string, len(err.Params))
		for _, p := range err.Params {
			m[p.Name] = Cut(p.Value, MaxParam)
		}
		v = m
	}
	b, mErr := json.Marshal(v)
	if mErr != nil {
		return nil // strings and maps of strings always marshal
	}
	return b
}

// Cut returns s cut to at most n bytes, marked with "..." when cut. It may
// split a multi-byte character; json.Marshal then writes U+FFFD for it.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
