package webapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/webapi/internal/wire"
	"github.com/magekit/magekit/webapi/route"
)

// Messages of the fixture and handler registry: magekit's own, in
// Magento's error shape.
const (
	MsgUnknownRoute   = "The route %1 %2 is not in the route table."
	MsgFixtureStatus  = "The fixture status %1 is not an HTTP status from 200 to 599."
	MsgFixtureBody    = "The fixture body is not valid JSON."
	MsgFixtureMissing = "No fixture is set for %1 %2."
)

// Fixture is the canned answer of one route: an authorised call to the
// route gets Status and Body, with Content-Type application/json, whatever
// the Accept header.
type Fixture struct {
	// Method and URL name the route as the route table does:
	// "GET", "/V1/products/:sku".
	Method string
	URL    string
	// Status is the HTTP status; 0 means 200.
	Status int
	// Body is any JSON value, answered byte for byte; empty answers no body.
	Body json.RawMessage
}

// lookup returns the route (method, url) of the table, or an Input error.
func (s *Server) lookup(method, url string) (*route.Entry, error) {
	if rt := s.router.Exact(strings.ToUpper(method), url); rt != nil {
		return rt, nil
	}
	return nil, magerr.New(magerr.Input, MsgUnknownRoute, method, url)
}

// CheckFixture reports whether [Server.SetFixture] would take f, without
// setting it: the same Input errors for an unknown route, a status outside
// 200–599 or a body that is not JSON.
func (s *Server) CheckFixture(f Fixture) error {
	_, err := s.checkFixture(f)
	return err
}

// checkFixture checks f and returns its route.
func (s *Server) checkFixture(f Fixture) (*route.Entry, error) {
	rt, err := s.lookup(f.Method, f.URL)
	if err != nil {
		return nil, err
	}
	if f.Status != 0 {
		if err := checkFixtureStatus(f.Status); err != nil {
			return nil, err
		}
	}
	if len(f.Body) > 0 && !json.Valid(f.Body) {
		return nil, magerr.New(magerr.Input, MsgFixtureBody)
	}
	return rt, nil
}

// SetFixture makes f the answer of its route, replacing any earlier one.
// It returns a *magerr.Error of class Input when the route is not in the
// table, the status is outside 200–599 (an informational 1xx status
// cannot be a final answer) or the body is not JSON. The body is
// copied. SetFixture is safe for concurrent use; requests already past
// routing may still see the previous fixture.
func (s *Server) SetFixture(f Fixture) error {
	rt, err := s.checkFixture(f)
	if err != nil {
		return err
	}
	if f.Status == 0 {
		f.Status = http.StatusOK
	}
	f.Method, f.URL, f.Body = rt.Method, rt.URL, slices.Clone(f.Body)
	s.fixtures[rt.ID()].Store(&f)
	return nil
}

// Fixture returns a copy of the fixture of the route (method, url), or a
// *magerr.Error: Input for an unknown route, NoSuchEntity
// ([MsgFixtureMissing]) when the route has no fixture.
func (s *Server) Fixture(method, url string) (Fixture, error) {
	rt, err := s.lookup(method, url)
	if err != nil {
		return Fixture{}, err
	}
	f := s.fixtures[rt.ID()].Load()
	if f == nil {
		return Fixture{}, magerr.New(magerr.NoSuchEntity, MsgFixtureMissing, rt.Method, rt.URL)
	}
	c := *f
	c.Body = slices.Clone(f.Body)
	return c, nil
}

// Fixtures returns a copy of every fixture, in route-table order.
func (s *Server) Fixtures() []Fixture {
	var out []Fixture
	for i := range s.fixtures {
		if f := s.fixtures[i].Load(); f != nil {
			c := *f
			c.Body = slices.Clone(f.Body)
			out = append(out, c)
		}
	}
	return out
}

// DeleteFixture removes the fixture of the route (method, url), if any. It
// returns an Input error for an unknown route.
func (s *Server) DeleteFixture(method, url string) error {
	rt, err := s.lookup(method, url)
	if err != nil {
		return err
	}
	s.fixtures[rt.ID()].Store(nil)
	return nil
}

// HasHandler reports whether the route (method, url) of the table has a
// handler: a built-in service (the token services, customer sign-up) or
// one given to [Server.Handle].
func (s *Server) HasHandler(method, url string) bool {
	rt, err := s.lookup(method, url)
	return err == nil && s.handlers[rt.ID()].Load() != nil
}

// Handle makes h the handler of the route (method, url) of the table,
// replacing any earlier one, built-in services included; a nil h removes
// it. A route's fixture, when set, still answers before its handler.
//
// h is called only for authorised calls, after Magento's checks; it gets
// the caller from [CallerFromContext], the route from [RouteFromContext]
// and the path parameters from [PathParams], and may answer errors with
// [Server.WriteError]. A panic in h is answered as Magento answers an
// unexpected exception (500, with a report id in the log) when h has
// written nothing yet. Handle returns an Input error for an unknown route
// and is safe for concurrent use.
func (s *Server) Handle(method, url string, h http.Handler) error {
	rt, err := s.lookup(method, url)
	if err != nil {
		return err
	}
	if h == nil {
		s.handlers[rt.ID()].Store(nil)
		return nil
	}
	s.handlers[rt.ID()].Store(&h)
	return nil
}

// WriteError answers err as Magento's REST layer answers an exception
// (docs/magento-behaviour.md §7.4), in JSON or, when r's Accept header asks for it, XML: a
// *magerr.Error (found with errors.As) with its status, message template
// and parameters; any other error as a 500 whose message carries a new
// report id, logged with the cause. It returns the error answered. Called
// from a route handler with the request it was given, it also records the
// error in the request's [Event] (and so in the emulator's journal).
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) *magerr.Error {
	f, _, _ := negotiate(r.Header.Get("Accept"))
	me := s.writeError(w, f, err)
	if ri, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		ri.err = me
	}
	return me
}

// WriteFixture answers r with status and body, a fixture's JSON answer,
// as Magento renders a service's answer
// (Webapi\Controller\Rest\SynchronousRequestProcessor::process): a
// success (status below 400) filtered by the request's fields parameter
// (Webapi\Rest\Response\FieldsFilter), then in the format r's Accept
// header asks for, JSON or XML, with the renderer's Content-Type. A JSON
// answer the filter leaves alone is body byte for byte; a filtered or XML
// one is body decoded and written again as PHP writes it (json_encode,
// Magento's XML renderer). Headers set before it stay, but Content-Type.
func (s *Server) WriteFixture(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	f, _, _ := negotiate(r.Header.Get("Accept"))
	s.writeFixture(w, f, r.URL.RawQuery, status, body)
}

// writeFixture is WriteFixture in the format f; it returns the status it
// answered with.
func (s *Server) writeFixture(w http.ResponseWriter, f format, rawQuery string, status int, body []byte) int {
	asSet := func() int {
		w.Header()["Content-Type"] = contentTypeJSON
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return status
	}
	fields := fieldsParam(rawQuery)
	filter := fields.set && status < http.StatusBadRequest // errors are not filtered
	if f == formatJSON && !filter {
		return asSet()
	}
	v, err := wire.DecodeJSON(body)
	if err != nil {
		// Fixtures are checked to be JSON when set, so this is a bug:
		// answered as it is rather than lost.
		return asSet()
	}
	if filter {
		var applied bool
		if v, applied = fields.filter(v); !applied && f == formatJSON {
			return asSet()
		}
	}
	// The body is written anew: a length the fixture's headers gave is
	// not its length any more.
	w.Header().Del("Content-Length")
	if f == formatXML {
		if err := wire.CheckXML(v); err != nil {
			return s.writeError(w, f, fmt.Errorf("webapi: fixture answer: %w", err)).Status()
		}
	}
	s.write(w, f, status, v)
	return status
}

// writeAnswer answers r with v, the answer of a service the Server runs
// itself, as SynchronousRequestProcessor::process renders it: 200,
// filtered by the fields query parameter, in the Accept header's format.
func (s *Server) writeAnswer(w http.ResponseWriter, r *http.Request, v any) {
	f, _, _ := negotiate(r.Header.Get("Accept"))
	v, _ = filterFields(r.URL.RawQuery, v)
	s.write(w, f, http.StatusOK, v)
}

// checkFixtureStatus accepts the statuses a fixture can answer: final
// ones, 200 to 599.
func checkFixtureStatus(status int) error {
	if status < 200 || status > 599 {
		return magerr.New(magerr.Input, MsgFixtureStatus, strconv.Itoa(status))
	}
	return nil
}
