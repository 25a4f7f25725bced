package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/webapi"
)

// Messages of fixture errors: magekit's own, in Magento's error shape.
const (
	MsgFixtureField    = `The fixture field "%1" is unknown.`
	MsgFixtureInvalid  = `The fixture is invalid: %1`
	MsgFixtureBuiltIn  = "The route %1 %2 is answered by the emulator itself and takes no fixture."
	MsgFixtureNotFound = `No fixture has the id "%1".`
	MsgNoFixtureMatch  = "magekit emulator: no fixture matches %1 %2."
)

// Limits of one fixture, so that the fixture table stays bounded.
const (
	maxFixtureConditions = 64
	maxFixtureResponses  = 100
	maxFixtureDelay      = time.Minute
	maxFixtureHeaders    = 32
)

// Fixture is a canned answer of one route that the emulator gives to the
// authorised calls it matches. Its JSON shape is what PUT
// /rest/V1/emulator/fixtures takes in {"fixture": ...}, what fixture
// files and seed files hold, and what GET /rest/V1/emulator/fixtures
// lists; unknown fields are refused.
type Fixture struct {
	// ID names the fixture; given, a fixture with the same ID is replaced.
	// When empty, the emulator assigns "f1", "f2", ...; a fixture with the
	// same route, match and scenario as an existing one then replaces it.
	ID string `json:"id,omitempty"`
	// Method and URL name the route as the route table does:
	// "GET", "/V1/products/:sku".
	Method string `json:"method"`
	URL    string `json:"url"`
	// Match narrows the calls the fixture answers; empty, it answers every
	// call of the route.
	Match Match `json:"match,omitzero"`
	// Status, Body, Headers and DelayMS are the answer: an HTTP status
	// from 200 to 599 (0 means 200), any JSON value (empty: no body),
	// extra response headers, and a delay before answering (at most a
	// minute). Responses, when set, replaces them with a sequence.
	Status  int               `json:"status,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	DelayMS int               `json:"delay_ms,omitempty"`
	// Responses are answered in turn, one per matched call; after the
	// last, AfterLast "repeat" (the default) answers the last again and
	// "fail" makes the fixture stop matching.
	Responses []Response `json:"responses,omitempty"`
	AfterLast string     `json:"after_last,omitempty"`
	// Scenario, RequiresState and NewState make the fixture stateful: it
	// matches only while the named scenario is in RequiresState (every
	// scenario starts in "Started"), and moves it to NewState when it
	// answers.
	Scenario      string `json:"scenario,omitempty"`
	RequiresState string `json:"requires_state,omitempty"`
	NewState      string `json:"new_state,omitempty"`
}

// Response is one answer of a fixture's sequence.
type Response struct {
	Status  int               `json:"status,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	DelayMS int               `json:"delay_ms,omitempty"`
}

// Match is what a call must carry for a fixture to answer it. Path,
// Query and Headers map a name to a condition: a JSON string to equal, or
// {"matches": "<Go regular expression>"}, or {"absent": true}. Query
// names are the decoded keys as sent, "searchCriteria[pageSize]"; header
// names are case-insensitive. Body is a JSON value the request body must
// contain (every key of an object, recursively; arrays element by
// element), or equal when BodyExact is set.
type Match struct {
	Path      map[string]Condition `json:"path,omitempty"`
	Query     map[string]Condition `json:"query,omitempty"`
	Headers   map[string]Condition `json:"headers,omitempty"`
	Body      json.RawMessage      `json:"body,omitempty"`
	BodyExact bool                 `json:"body_exact,omitempty"`
}

// Condition is one condition of a [Match].
type Condition struct {
	Equals  string
	Matches string // a Go regular expression
	Absent  bool

	re *regexp.Regexp
}

// MarshalJSON writes a condition as it is read: a string, or an object.
func (c Condition) MarshalJSON() ([]byte, error) {
	switch {
	case c.Matches != "":
		return json.Marshal(map[string]string{"matches": c.Matches})
	case c.Absent:
		return []byte(`{"absent":true}`), nil
	}
	return json.Marshal(c.Equals)
}

// UnmarshalJSON reads a string or {"matches"} or {"absent": true}.
func (c *Condition) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &c.Equals)
	}
	var o struct {
		Matches *string `json:"matches"`
		Absent  bool    `json:"absent"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return errors.New(`a condition is a string, {"matches": "<regexp>"} or {"absent": true}`)
	}
	switch {
	case o.Matches != nil && !o.Absent:
		re, err := regexp.Compile(*o.Matches)
		if err != nil {
			return fmt.Errorf("matches: %v", err)
		}
		c.Matches, c.re = *o.Matches, re
	case o.Matches == nil && o.Absent:
		c.Absent = true
	default:
		return errors.New(`a condition is a string, {"matches": "<regexp>"} or {"absent": true}`)
	}
	return nil
}

// test reports whether a value (present or not) meets c.
func (c *Condition) test(v string, present bool) bool {
	switch {
	case c.Absent:
		return !present
	case c.re != nil:
		return present && c.re.MatchString(v)
	}
	return present && v == c.Equals
}

// DecodeFixture reads one fixture object strictly: an unknown field is an
// Input error naming it, a malformed value an Input error saying what is
// wrong. It checks the fixture's own shape, not its route.
func DecodeFixture(raw []byte) (Fixture, error) {
	var f Fixture
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Fixture{}, fixtureDecodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Fixture{}, magerr.New(magerr.Input, MsgFixtureInvalid, "text after the fixture object")
	}
	return f, f.check()
}

// fixtureDecodeError turns a decoding error into Magento's shape, naming
// an unknown field.
func fixtureDecodeError(err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return magerr.New(magerr.Input, MsgFixtureField, strings.Trim(name, `"`))
	}
	return magerr.New(magerr.Input, MsgFixtureInvalid, strings.TrimPrefix(msg, "json: "))
}

// check validates what the JSON shape cannot: statuses, delays, bodies,
// sizes, the sequence and scenario fields.
func (f *Fixture) check() error {
	bad := func(format string, a ...any) error {
		return magerr.New(magerr.Input, MsgFixtureInvalid, fmt.Sprintf(format, a...))
	}
	var missing []*magerr.Error
	if f.Method == "" {
		missing = append(missing, magerr.Required("method"))
	}
	if f.URL == "" {
		missing = append(missing, magerr.Required("url"))
	}
	if e := magerr.Join(missing...); e != nil {
		return e
	}
	f.Method = strings.ToUpper(f.Method)
	if len(f.Responses) == 0 && f.Status == 0 {
		f.Status = http.StatusOK
	}
	if n := len(f.Match.Path) + len(f.Match.Query) + len(f.Match.Headers); n > maxFixtureConditions {
		return bad("%d conditions; at most %d", n, maxFixtureConditions)
	}
	if len(f.Match.Body) > 0 && !json.Valid(f.Match.Body) {
		return bad("match.body is not valid JSON")
	}
	if len(f.Responses) > maxFixtureResponses {
		return bad("%d responses; at most %d", len(f.Responses), maxFixtureResponses)
	}
	if len(f.Responses) > 0 && (f.Status != 0 || len(f.Body) > 0 || len(f.Headers) > 0 || f.DelayMS != 0) {
		return bad("responses replaces status, body, headers and delay_ms; give one or the other")
	}
	switch f.AfterLast {
	case "", "repeat", "fail":
	default:
		return bad(`after_last is "repeat" or "fail", not %q`, f.AfterLast)
	}
	if (f.RequiresState != "" || f.NewState != "") && f.Scenario == "" {
		return bad("requires_state and new_state need a scenario")
	}
	for i, r := range f.answers() {
		if r.Status != 0 && (r.Status < 200 || r.Status > 599) && len(f.Responses) == 0 {
			return magerr.New(magerr.Input, webapi.MsgFixtureStatus, strconv.Itoa(r.Status))
		}
		if r.Status != 0 && (r.Status < 200 || r.Status > 599) {
			return bad("status %d (response %d) is not an HTTP status from 200 to 599", r.Status, i+1)
		}
		if len(r.Body) > 0 && !json.Valid(r.Body) {
			return bad("body (response %d) is not valid JSON", i+1)
		}
		if r.DelayMS < 0 || time.Duration(r.DelayMS)*time.Millisecond > maxFixtureDelay {
			return bad("delay_ms %d (response %d) is not from 0 to 60000", r.DelayMS, i+1)
		}
		if len(r.Headers) > maxFixtureHeaders {
			return bad("%d headers (response %d); at most %d", len(r.Headers), i+1, maxFixtureHeaders)
		}
		for name := range r.Headers {
			if !validHeaderName(name) {
				return bad("header name %q (response %d) is not a token", name, i+1)
			}
		}
	}
	return nil
}

// answers returns the fixture's responses: its sequence, or the one
// answer its own fields make.
func (f *Fixture) answers() []Response {
	if len(f.Responses) > 0 {
		return f.Responses
	}
	return []Response{{Status: f.Status, Body: f.Body, Headers: f.Headers, DelayMS: f.DelayMS}}
}

// validHeaderName reports whether name is an HTTP token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// specificity weighs the fixture's conditions; among the fixtures that
// match a call, the one with the highest weight answers, and among equal
// weights the one set last. An exact path, query or header condition
// weighs 2, a pattern or an absence 1; a body weighs 2 as a subset and 3
// when exact; a required scenario state 1.
func (f *Fixture) specificity() int {
	n := 0
	for _, m := range [...]map[string]Condition{f.Match.Path, f.Match.Query, f.Match.Headers} {
		for _, c := range m {
			if c.Matches == "" && !c.Absent {
				n += 2
			} else {
				n++
			}
		}
	}
	switch {
	case len(f.Match.Body) > 0 && f.Match.BodyExact:
		n += 3
	case len(f.Match.Body) > 0:
		n += 2
	}
	if f.RequiresState != "" {
		n++
	}
	return n
}

// fromWebapi turns a library fixture into an emulator one.
func fromWebapi(f webapi.Fixture) Fixture {
	return Fixture{Method: strings.ToUpper(f.Method), URL: f.URL, Status: f.Status, Body: f.Body}
}

// statusOr returns s, or 200 when s is 0.
func statusOr(s int) int {
	if s == 0 {
		return http.StatusOK
	}
	return s
}
