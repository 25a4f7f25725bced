package emulator

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi"
)

// DefaultJournalSize is how many requests an [Emulator]'s journal keeps
// when Config.JournalSize is zero: the most recent ones.
const DefaultJournalSize = 10_000

// Bounds on what one journal entry keeps, so that the journal's memory is
// bounded whatever the requests look like. Longer values are cut and end
// with "...".
const (
	maxJournalPath  = 2048 // path and query, each
	maxJournalBase  = 8192 // base string
	maxJournalParam = 1024 // each message parameter
)

// OutcomeSuccessCallback is the journal outcome of a request for the
// success_call_back page (docs/magento-behaviour.md §5.2 step 6), which the Emulator serves
// outside the REST surface.
const OutcomeSuccessCallback webapi.Outcome = "success_callback"

// JournalEntry is one request an [Emulator] answered, as GET
// /rest/V1/emulator/journal lists it. It never holds a secret: in Query,
// BaseString and the request's headers and body the value of every
// parameter whose name holds "signature", "verifier", "token", "secret" or
// "password" (oauth_signature_method aside) reads REDACTED, and so does a
// path segment that fills such a path parameter of the route
// (:resetPasswordLinkToken). BaseString, present only when a signature did
// not match, holds the request's other signed parameters (the consumer key
// included). The fields are open to more: a new one is added with
// omitempty, so that readers of the JSON shape are not broken.
type JournalEntry struct {
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
	Errors     []JournalError  `json:"errors,omitempty"`
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
	// [MaxJournalBody] bytes, RequestBodyTruncated then true), every secret
	// redacted: the Authorization header keeps its scheme and, for OAuth,
	// its non-secret parameters; Cookie and any header or JSON key or form
	// field whose name holds a sensitive word reads REDACTED; a body that
	// cannot be parsed for redaction and mentions such a word is withheld
	// whole. Absent when Config.NoJournalBodies is set.
	RequestHeaders       map[string]string `json:"request_headers,omitempty"`
	RequestBody          string            `json:"request_body,omitempty"`
	RequestBodyTruncated bool              `json:"request_body_truncated,omitempty"`
}

// maxJournalErrors is how many errors of an aggregate an entry keeps.
const maxJournalErrors = 50

// JournalError is one error of an aggregate input error in a
// [JournalEntry].
type JournalError struct {
	Message    string          `json:"message"`
	Parameters json.RawMessage `json:"parameters,omitempty"`
}

// DefaultJournalBytes is how many bytes the entries of an [Emulator]'s
// journal may hold together when Config.JournalBytes is zero; past it the
// oldest entries go, whatever JournalSize allows.
const DefaultJournalBytes = 64 << 20

// journal is a bounded ring of entries, oldest first, bounded both by
// count and by the bytes its entries hold. It is safe for concurrent use;
// add takes one short lock.
type journal struct {
	mu       sync.Mutex
	size     int            // most entries kept
	maxBytes int            // most bytes kept, by [JournalEntry.footprint]
	ring     []JournalEntry // grows to size; the entries are ring[head:head+n], wrapping
	sizes    []int          // the footprint of each ring slot's entry
	head, n  int
	bytes    int    // the sum of the kept entries' footprints
	seq      uint64 // the last ID given
}

func newJournal(size, maxBytes int) *journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	if maxBytes <= 0 {
		maxBytes = DefaultJournalBytes
	}
	return &journal{size: size, maxBytes: maxBytes}
}

// add appends e with the next ID, dropping the oldest entries while the
// journal is full by count or by bytes.
func (j *journal) add(e JournalEntry) {
	fp := e.footprint()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.ID = j.seq
	for j.n > 0 && (j.n == j.size || j.bytes+fp > j.maxBytes) {
		j.ring[j.head], j.bytes = JournalEntry{}, j.bytes-j.sizes[j.head]
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
func (j *journal) grow() {
	c := min(max(2*len(j.ring), 64), j.size)
	ring, sizes := make([]JournalEntry, c), make([]int, c)
	for k := range j.n {
		ring[k], sizes[k] = j.ring[(j.head+k)%len(j.ring)], j.sizes[(j.head+k)%len(j.ring)]
	}
	j.ring, j.sizes, j.head = ring, sizes, 0
}

// at returns the k-th kept entry, oldest first (the lock held).
func (j *journal) at(k int) *JournalEntry { return &j.ring[(j.head+k)%len(j.ring)] }

// list returns a copy of the entries, oldest first; never nil.
func (j *journal) list() []JournalEntry { return j.query(JournalFilter{}) }

// reset forgets every entry and releases their memory; IDs go on from
// where they were.
func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring, j.sizes, j.head, j.n, j.bytes = nil, nil, 0, 0, 0
}

// entryOverhead is what an entry costs besides the bytes of its strings:
// the struct, the map of headers, the slices' headers.
const entryOverhead = 512

// footprint estimates the bytes e holds: its strings, headers, parameters,
// errors and diagnosis, and a fixed overhead.
func (e *JournalEntry) footprint() int {
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

// entryFromEvent turns a Server event into a journal entry.
func entryFromEvent(ev webapi.Event) JournalEntry {
	e := JournalEntry{
		Time:       ev.Time.UTC(),
		Method:     cut(ev.Method, 32),
		Path:       cut(redactPath(ev.Path, ev.Route), maxJournalPath),
		Query:      cut(redactQuery(ev.Query), maxJournalPath),
		Route:      ev.Route,
		Outcome:    string(ev.Outcome),
		Status:     ev.Status,
		BaseString: cut(redactBaseString(ev.BaseString, ev.Route), maxJournalBase),
	}
	setCaller(&e, ev.Caller)
	setError(&e, ev.Err)
	if ev.Diagnosis != nil {
		d := *ev.Diagnosis
		d.ClientBaseString = cut(redactBaseString(d.ClientBaseString, ev.Route), maxJournalBase)
		e.Diagnosis = &d
	}
	return e
}

// setCaller fills Who, Credential and the ids from c.
func setCaller(e *JournalEntry, c webapi.Caller) {
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

// setError fills Message, Parameters and Errors as the REST error body
// renders err: a Webapi error substituted and without parameters, an
// internal one by the generic template only, any other as template and
// parameters.
func setError(e *JournalEntry, err *magerr.Error) {
	if err == nil {
		return
	}
	switch err.Class {
	case magerr.Internal:
		e.Message = magerr.InternalMessage
		return
	case magerr.Webapi:
		e.Message = cut(err.Text(), maxJournalParam)
		return
	}
	e.Message = err.Message
	e.Parameters = journalParams(err)
	for i, sub := range err.Errors {
		if i == maxJournalErrors {
			break
		}
		e.Errors = append(e.Errors, JournalError{Message: sub.Message, Parameters: journalParams(sub)})
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
			l[i] = cut(p.Value, maxJournalParam)
		}
		v = l
	} else {
		m := make(map[string]string, len(err.Params))
		for _, p := range err.Params {
			m[p.Name] = cut(p.Value, maxJournalParam)
		}
		v = m
	}
	b, mErr := json.Marshal(v)
	if mErr != nil {
		return nil // strings and maps of strings always marshal
	}
	return b
}

// cut returns s cut to at most n bytes, marked with "..." when cut. It may
// split a multi-byte character; json.Marshal then writes U+FFFD for it.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
