package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/webapi"
	"github.com/magekit/magekit/webapi/route"
)

// Unmatched modes: what an authorised call that no fixture answers gets.
const (
	// UnmatchedNote answers 200 with a note that no fixture is set (or
	// none matches): a call without a fixture succeeds, as it did before
	// fixtures could match.
	UnmatchedNote = "note"
	// UnmatchedError answers 404 in Magento's JSON shape,
	// "magekit emulator: no fixture matches %1 %2.", journaled with
	// outcome "no_match": a connector's test cannot pass by accident. The
	// mode for CI suites.
	UnmatchedError = "error"
)

// OutcomeNoMatch is the journal outcome of a call that no fixture answered
// when the unmatched mode is "error", or when the route has fixtures but
// none matched.
const OutcomeNoMatch webapi.Outcome = "no_match"

// PutFixture checks f and adds it to the fixture table, replacing a
// fixture with the same ID or, without an ID, with the same route, match
// and scenario. It refuses, with an Input error, a fixture of a route not
// in the table and one of a route the emulator answers itself (the token
// services, customer sign-up, the two-factor routes, the control routes),
// which a fixture would hide. It returns the fixture as stored.
func (e *Emulator) PutFixture(f fixture.Fixture) (fixture.Fixture, error) {
	if err := f.Check(); err != nil {
		return fixture.Fixture{}, err
	}
	if err := e.checkFixtureRoute(f.Method, f.URL); err != nil {
		return fixture.Fixture{}, err
	}
	return e.stubs.Put(f), nil
}

// SetFixture makes the library fixture f an answer of its route: a
// [fixture.Fixture] with no match.
func (e *Emulator) SetFixture(f webapi.Fixture) error {
	_, err := e.PutFixture(fixture.FromWebapi(f))
	return err
}

// Fixtures returns every fixture, in the order they were set.
func (e *Emulator) Fixtures() []fixture.Fixture { return e.stubs.List() }

// DeleteFixture removes the fixture id; a NoSuchEntity error when there
// is none.
func (e *Emulator) DeleteFixture(id string) error {
	if !e.stubs.Delete(id) {
		return magerr.New(magerr.NoSuchEntity, fixture.MsgFixtureNotFound, id)
	}
	return nil
}

// tokenRoutes are the routes that issue admin tokens through a
// two-factor provider (Magento_TwoFactorAuth's etc/webapi.xml). Without
// -two-factor they have no handler, but a fixture on one would still hand
// out a "token": none takes a fixture.
var tokenRoutes = map[string]bool{
	"POST /V1/tfa/provider/google/authenticate":         true,
	"POST /V1/tfa/provider/authy/authenticate":          true,
	"POST /V1/tfa/provider/authy/authenticate-onetouch": true,
	"POST /V1/tfa/provider/u2fkey/verify":               true,
	"POST /V1/tfa/provider/duo_security/authenticate":   true,
}

// checkFixtureRoute refuses a route outside the table and one the
// emulator answers itself.
func (e *Emulator) checkFixtureRoute(method, url string) error {
	if err := e.stack.Server.CheckFixture(webapi.Fixture{Method: method, URL: url}); err != nil {
		return err
	}
	method = strings.ToUpper(method)
	if isControlRoute(url) {
		return magerr.New(magerr.Input, MsgControlFixture, method, url)
	}
	if e.stack.Server.HasHandler(method, url) || tokenRoutes[method+" "+url] {
		return magerr.New(magerr.Input, fixture.MsgFixtureBuiltIn, method, url)
	}
	return nil
}

// serveFixture is the REST server's fallback: it answers an authorised
// call of a route without a handler with the fixture that matches it, or
// as the unmatched mode says.
func (e *Emulator) serveFixture(w http.ResponseWriter, r *http.Request) bool {
	route, _ := webapi.RouteFromContext(r.Context())
	if !e.stubs.Has(route.Method, route.URL) {
		if e.unmatched == UnmatchedError {
			e.noMatch(w, r, route)
			return true
		}
		return false // the REST server's note
	}
	c := &fixture.Call{Params: webapi.PathParams(r), Query: r.URL.Query(), Header: r.Header}
	if params, err := webapi.BodyParams(r); err == nil && len(params) > 0 {
		obj := make(map[string]any, len(params))
		for k, raw := range params {
			var v any
			if json.Unmarshal(raw, &v) == nil {
				obj[k] = v
			}
		}
		c.Body, c.HasBody = obj, true
	}
	resp := e.stubs.Choose(route.Method, route.URL, c)
	if resp == nil {
		if e.unmatched == UnmatchedError {
			e.noMatch(w, r, route)
			return true
		}
		webapi.SetOutcome(r, OutcomeNoMatch)
		writeJSON(w, http.StatusOK, map[string]string{"message": "magekit emulator: no fixture matches " + route.Method + " " + route.URL})
		return true
	}
	if resp.DelayMS > 0 {
		t := time.NewTimer(time.Duration(resp.DelayMS) * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	for name, v := range resp.Headers {
		w.Header().Set(name, v)
	}
	webapi.SetOutcome(r, webapi.OutcomeFixture)
	e.stack.Server.WriteFixture(w, r, fixture.StatusOr200(resp.Status), resp.Body)
	return true
}

// noMatch answers 404 "no fixture matches" in Magento's shape.
func (e *Emulator) noMatch(w http.ResponseWriter, r *http.Request, route route.Route) {
	webapi.SetOutcome(r, OutcomeNoMatch)
	e.stack.Server.WriteError(w, r, magerr.New(magerr.NoSuchEntity, fixture.MsgNoFixtureMatch, route.Method, route.URL))
}

// maxFixtureRequest bounds the body of PUT /V1/emulator/fixtures.
const maxFixtureRequest = 1 << 20

// putFixture is PUT /V1/emulator/fixtures: {"fixture": {...}} adds the
// fixture and answers it as stored (with its id).
func (e *Emulator) putFixture(r *http.Request, _ webapi.Caller) (any, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxFixtureRequest+1))
	if err != nil {
		return nil, magerr.New(magerr.Input, fixture.MsgFixtureInvalid, "the body could not be read")
	}
	if len(raw) > maxFixtureRequest {
		return nil, magerr.New(magerr.Input, fixture.MsgFixtureInvalid, "the body is larger than 1 MiB")
	}
	var doc map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		return nil, magerr.New(magerr.Input, fixture.MsgFixtureInvalid, "the body is not a JSON object")
	}
	for k := range doc {
		if k != "fixture" {
			return nil, magerr.New(magerr.Input, fixture.MsgFixtureField, k)
		}
	}
	inner, ok := doc["fixture"]
	if !ok || !present(inner) {
		return nil, magerr.Required("fixture")
	}
	f, err := fixture.Decode(inner)
	if err != nil {
		return nil, err
	}
	return e.PutFixture(f)
}

// listFixtures is GET /V1/emulator/fixtures.
func (e *Emulator) listFixtures(_ *http.Request, _ webapi.Caller) (any, error) {
	return e.Fixtures(), nil
}

// getFixture is GET /V1/emulator/fixtures/:id.
func (e *Emulator) getFixture(r *http.Request, _ webapi.Caller) (any, error) {
	return e.stubs.Get(webapi.PathParams(r)["id"])
}

// deleteFixture is DELETE /V1/emulator/fixtures/:id.
func (e *Emulator) deleteFixture(r *http.Request, _ webapi.Caller) (any, error) {
	if err := e.DeleteFixture(webapi.PathParams(r)["id"]); err != nil {
		return nil, err
	}
	return true, nil
}

// deleteFixtures is DELETE /V1/emulator/fixtures: every fixture and
// scenario state goes.
func (e *Emulator) deleteFixtures(_ *http.Request, _ webapi.Caller) (any, error) {
	e.stubs.Reset()
	return true, nil
}

// Scenarios returns the state of every scenario a fixture moved or
// [Emulator.SetScenarios] set; the others are in "Started".
func (e *Emulator) Scenarios() map[string]string { return e.stubs.Scenarios() }

// SetScenarios sets scenario states, for a test that starts mid-story.
func (e *Emulator) SetScenarios(states map[string]string) { e.stubs.SetScenarios(states) }

// getScenarios is GET /V1/emulator/scenarios: {"name": "state"} of every
// scenario a fixture moved (the others are in "Started").
func (e *Emulator) getScenarios(_ *http.Request, _ webapi.Caller) (any, error) {
	return e.stubs.Scenarios(), nil
}

// putScenarios is PUT /V1/emulator/scenarios {"scenarios": {"name":
// "state"}}: sets scenario states, for a test that starts mid-story.
func (e *Emulator) putScenarios(r *http.Request, _ webapi.Caller) (any, error) {
	var doc struct {
		Scenarios map[string]string `json:"scenarios"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, maxFixtureRequest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fixture.DecodeError(err)
	}
	if doc.Scenarios == nil {
		return nil, magerr.Required("scenarios")
	}
	e.stubs.SetScenarios(doc.Scenarios)
	return e.stubs.Scenarios(), nil
}
