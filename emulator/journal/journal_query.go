package journal

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/magekit/magekit/magerr"
)

// Filter selects journal entries; every set field must match.
type Filter struct {
	// Method matches the request method exactly ("POST").
	Method string
	// Path matches the request path exactly, or, ending in "*", every path
	// that starts with what comes before the "*" ("/rest/V1/orders*").
	Path string
	// Route matches the matched route's pattern exactly ("/V1/orders/:id").
	Route string
	// Outcome matches the entry's outcome ("fixture", "auth_failed", ...).
	Outcome string
	// Who matches "integration", "admin", "customer" or "guest".
	Who string
	// IntegrationID matches the calling integration.
	IntegrationID int64
	// SinceID keeps entries whose ID is greater; SinceTime those at or
	// after it.
	SinceID   uint64
	SinceTime time.Time
	// Limit is how many entries to return at most, the oldest matching
	// ones first; 0 means all.
	Limit int
}

// match reports whether e passes f (Limit aside).
func (f Filter) match(e *Entry) bool {
	switch {
	case f.Method != "" && e.Method != f.Method,
		f.Route != "" && e.Route != f.Route,
		f.Outcome != "" && e.Outcome != f.Outcome,
		f.Who != "" && e.Who != f.Who,
		f.IntegrationID != 0 && e.IntegrationID != f.IntegrationID,
		e.ID <= f.SinceID,
		!f.SinceTime.IsZero() && e.Time.Before(f.SinceTime):
		return false
	}
	if f.Path == "" {
		return true
	}
	if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
		return strings.HasPrefix(e.Path, prefix)
	}
	return e.Path == f.Path
}

// query returns the entries that pass f, oldest first (at most f.Limit),
// never nil, copied under one short lock.
func (j *Journal) Query(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	for k := 0; k < j.n && (f.Limit <= 0 || len(out) < f.Limit); k++ {
		if e := j.at(k); f.match(e) {
			out = append(out, *e)
		}
	}
	return out
}

// count returns how many entries pass f (Limit aside).
func (j *Journal) Count(f Filter) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for k := range j.n {
		if f.match(j.at(k)) {
			n++
		}
	}
	return n
}

// MsgFilter is the error of a journal query parameter that is
// unknown or has a value of the wrong form.
const MsgFilter = `The journal filter "%name" is invalid: %reason.`

// filterParams are the query parameters GET /V1/emulator/journal and
// its /count take.
var filterParams = map[string]bool{"method": true, "path": true, "route": true, "outcome": true,
	"who": true, "integration_id": true, "since": true, "limit": true}

// ParseFilter reads a Filter from the query of a journal
// request. An unknown parameter or a malformed value is a 400 naming it.
func ParseFilter(q url.Values) (Filter, error) {
	bad := func(name, reason string) error {
		return &magerr.Error{Message: MsgFilter, Class: magerr.Input,
			Params: []magerr.Param{{Name: "name", Value: name}, {Name: "reason", Value: reason}}}
	}
	var f Filter
	for name, vs := range q {
		if !filterParams[name] {
			return f, bad(name, "unknown parameter; use method, path, route, outcome, who, integration_id, since or limit")
		}
		if len(vs) != 1 {
			return f, bad(name, "given more than once")
		}
		v := vs[0]
		switch name {
		case "method":
			f.Method = v
		case "path":
			f.Path = v
		case "route":
			f.Route = v
		case "outcome":
			f.Outcome = v
		case "who":
			f.Who = v
		case "integration_id":
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				return f, bad(name, "not a positive integer")
			}
			f.IntegrationID = id
		case "since":
			if id, err := strconv.ParseUint(v, 10, 64); err == nil {
				f.SinceID = id
			} else if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				f.SinceTime = t
			} else {
				return f, bad(name, "neither an entry id nor an RFC 3339 time")
			}
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return f, bad(name, "not a positive integer")
			}
			f.Limit = n
		}
	}
	return f, nil
}

// Page is the answer of GET /V1/emulator/journal: written as a JSON
// array one entry at a time, so that answering a large journal costs one
// entry's encoding, not the whole document.
type Page []Entry

// Stream writes the page as a JSON array to w.
func (p Page) Stream(w http.ResponseWriter) {
	w.Header()["Content-Type"] = []string{"application/json; charset=utf-8"}
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	_ = bw.WriteByte('[')
	for i := range p {
		if i > 0 {
			_ = bw.WriteByte(',')
		}
		// Entries are this package's own type and always encode; the
		// encoder's newline between entries is valid JSON whitespace.
		_ = enc.Encode(&p[i])
	}
	_ = bw.WriteByte(']')
	_ = bw.Flush()
}
