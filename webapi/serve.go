package webapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/webapi/internal/wire"
	"github.com/magekit/magekit/webapi/route"
)

// ServeHTTP answers r as Magento 2.4.7 does, in Magento's order (Webapi\
// Controller\Rest::dispatch, RequestValidator::validate): the renderer for
// the Accept header (406), the method (405), the request processor (400),
// the route (404), the user context and the route's ACL resources (the
// OAuth error, or 401), https for secure routes (400), the body of a POST
// or PUT (400), the service method's required parameters (400), then the
// fixture, handler or no-fixture note.
// /oauth/token/request and /oauth/token/access go to the Provider; every
// other path to Config.NotFound.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev := Event{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Caller: guest, Request: r}
	if s.observe != nil {
		ev.Time = s.now()
	}
	s.serve(w, r, &ev)
	if s.observe != nil {
		s.observe(ev)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, ev *Event) {
	info, rest := s.pathInfo(ev.Path)
	if !rest {
		s.serveOther(w, r, ev)
		return
	}
	f, first, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		e := magerr.New(magerr.Webapi, MsgNotAcceptable, first)
		e.Code = http.StatusNotAcceptable
		s.fail(w, f, ev, OutcomeRejected, e)
		return
	}
	method := strings.ToUpper(r.Method)
	if !route.KnownMethod(method) {
		s.fail(w, f, ev, OutcomeRejected, methodNotSupported(r.Method))
		return
	}
	if len(info) < 3 || info[1] != 'V' || info[2] < '0' || info[2] > '9' {
		s.fail(w, f, ev, OutcomeRejected, errCannot) // no processor takes it
		return
	}
	rt := s.router.Match(method, info)
	if rt == nil {
		s.fail(w, f, ev, OutcomeNoRoute, errNoRoute)
		return
	}
	ev.Route = rt.URL
	refs := rt.Resources
	if rt.OpenToGuests() && s.settings.AllowInsecure() {
		refs = anonymousRefs
	}
	caller := guest
	if !anonymousOnly(refs) {
		c, err := s.authenticate(r)
		if err != nil {
			var se *oauth.SignatureError
			if errors.As(err, &se) {
				ev.BaseString, ev.Diagnosis = se.BaseString, se.Diagnosis
			}
			s.fail(w, f, ev, OutcomeAuthFailed, err)
			return
		}
		caller, ev.Caller = c, c
		if !c.Role.Check(c.Type, refs) {
			s.fail(w, f, ev, OutcomeDenied, notAuthorized(acl.Denied(refs)))
			return
		}
	}
	if rt.Secure && !s.secure(r) {
		s.fail(w, f, ev, OutcomeHTTPSOnly, errHTTPSOnly)
		return
	}
	s.dispatch(w, r, ev, f, rt, info, caller)
}

// anonymousOnly reports whether every ref is "anonymous": Magento then
// never asks for the user context (its guest plugin answers first), so no
// credential is read and no OAuth nonce is spent.
func anonymousOnly(refs []string) bool {
	for _, ref := range refs {
		if ref != acl.Anonymous {
			return false
		}
	}
	return len(refs) > 0
}

// fail answers err and records it in ev.
func (s *Server) fail(w http.ResponseWriter, f format, ev *Event, o Outcome, err error) {
	me := s.writeError(w, f, err)
	ev.Err, ev.Status, ev.Outcome = me, me.Status(), o
	if me.Class == magerr.Internal {
		ev.Outcome = OutcomeError
	}
}

// dispatch answers an authorised call: the route's fixture, else its
// handler, else a note that no fixture is set. The body of a POST or PUT is
// first read as Magento reads it, so a body Magento cannot decode is
// refused here too, and then the service method's required parameters are
// checked as Magento checks them (see missingParams); a handler gets the
// body decoded (see BodyParams) and can read it again from r.Body.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, ev *Event, f format, rt *route.Entry, info string, caller Caller) {
	var (
		params   map[string]json.RawMessage
		bodyRead bool
	)
	if rt.Method == "POST" || rt.Method == "PUT" {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			err = errDecoding.Wrap(fmt.Errorf("webapi: read body: %w", err))
		} else {
			params, err = decodeBody(r.Header.Get("Content-Type"), b)
		}
		if err != nil {
			s.fail(w, f, ev, OutcomeBadRequest, err)
			return
		}
		bodyRead = true
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if err := scalarTypeError(rt, params); err != nil {
		s.fail(w, f, ev, OutcomeBadRequest, err)
		return
	}
	if err := missingParams(rt, r.URL.RawQuery, params, caller); err != nil {
		s.fail(w, f, ev, OutcomeBadRequest, err)
		return
	}
	if fx := s.fixtures[rt.ID()].Load(); fx != nil {
		ev.Outcome, ev.Status = OutcomeFixture, s.writeFixture(w, f, r.URL.RawQuery, fx.Status, fx.Body)
		return
	}
	h := s.handlers[rt.ID()].Load()
	answered := true
	if h == nil && s.fallback != nil {
		var fh http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answered = s.fallback(w, r) })
		h = &fh
	}
	if h != nil {
		ri := &requestInfo{caller: caller, route: rt, pathInfo: info, params: params, bodyRead: bodyRead}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
		ev.Outcome, ev.Status = OutcomeHandler, http.StatusOK
		sw := &statusWriter{ResponseWriter: w}
		s.runHandler(*h, sw, r, f, ev)
		if !answered && sw.status == 0 {
			s.noFixture(w, f, ev, rt)
			return
		}
		if sw.status != 0 && ev.Outcome == OutcomeHandler {
			ev.Status = sw.status
		}
		if ri.outcome != "" && ev.Outcome == OutcomeHandler {
			ev.Outcome = ri.outcome
		}
		if ev.Err == nil {
			ev.Err = ri.err
		}
		return
	}
	s.noFixture(w, f, ev, rt)
}

// noFixture answers the note that route rt has no fixture (200).
func (s *Server) noFixture(w http.ResponseWriter, f format, ev *Event, rt *route.Entry) {
	s.write(w, f, http.StatusOK, wire.Object{{Key: "message", Value: "magekit emulator: no fixture is set for " + rt.Method + " " + rt.URL}})
	ev.Outcome, ev.Status, ev.Err = OutcomeNoFixture, http.StatusOK, nil
}

// pathInfo returns Magento's path info of a request path under the "rest"
// front name (Webapi\Controller\PathProcessor::process): the path trimmed
// of '/', "rest" and a store code (or "all") removed, with a leading '/';
// "/index.php/rest/..." is the same path. rest is false for other paths. The
// path info is a substring of p: no allocation.
func (s *Server) pathInfo(p string) (info string, rest bool) {
	end := len(strings.TrimRight(p, "/"))
	i := skipSlashes(p, 0, end)
	if strings.HasPrefix(p[i:end], "index.php/") {
		i = skipSlashes(p, i+len("index.php/"), end)
	}
	switch {
	case p[i:end] == "rest":
		return "/", true
	case !strings.HasPrefix(p[i:end], "rest/"):
		return "", false
	}
	i = skipSlashes(p, i+len("rest/"), end)
	if i == end {
		return "/", true
	}
	code, _, more := strings.Cut(p[i:end], "/")
	if !s.isStoreCode(code) {
		return p[i-1 : end], true // p[i-1] is a '/'
	}
	if !more {
		return "/", true
	}
	return p[i+len(code) : end], true // from the '/' after the code
}

// skipSlashes returns the index of the first byte of p[i:end] that is not
// a '/'.
func skipSlashes(p string, i, end int) int {
	for i < end && p[i] == '/' {
		i++
	}
	return i
}

// serveOther answers a request outside /rest: the OAuth token endpoints or
// Config.NotFound.
func (s *Server) serveOther(w http.ResponseWriter, r *http.Request, ev *Event) {
	p := strings.Trim(ev.Path, "/")
	p = strings.TrimPrefix(p, "index.php/")
	switch p {
	case "oauth/token/request":
		s.serveToken(w, r, ev, false)
	case "oauth/token/access":
		s.serveToken(w, r, ev, true)
	default:
		ev.Outcome, ev.Status = OutcomeNoRoute, http.StatusNotFound
		if s.notFound != nil {
			sw := &statusWriter{ResponseWriter: w}
			s.notFound.ServeHTTP(sw, r)
			if sw.status != 0 {
				ev.Status = sw.status
			}
			return
		}
		s.write(w, formatJSON, http.StatusNotFound, wire.Object{{Key: "message", Value: MsgNoRoute}})
	}
}

// serveToken answers /oauth/token/request or /oauth/token/access with the
// Provider's own answer (docs/magento-behaviour.md §5.2, §8.4), keeping the error and, for a
// signature mismatch, the server's base string for ev.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, ev *Event, access bool) {
	serve := s.provider.ServeRequestToken
	if access {
		serve = s.provider.ServeAccessToken
	}
	status, err := serve(w, r)
	ev.Outcome, ev.Status = OutcomeToken, status
	if err != nil {
		var se *oauth.SignatureError
		if errors.As(err, &se) {
			ev.BaseString, ev.Diagnosis = se.BaseString, se.Diagnosis
		}
		ev.Err = asMagento(err)
	}
}

// runHandler serves r with a route handler. A panic in it (a handler
// plugged in from Go, or a bug) does not reach the connection: before
// anything was written it is answered as Magento answers an unexpected
// exception, a 500 with a report id, and logged with the stack; after, the
// connection is aborted, as net/http would.
func (s *Server) runHandler(h http.Handler, sw *statusWriter, r *http.Request, f format, ev *Event) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.log.Error("webapi: route handler panicked", "route", ev.Route, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if sw.status != 0 {
			ev.Outcome = OutcomeError
			panic(http.ErrAbortHandler)
		}
		s.fail(sw, f, ev, OutcomeError, fmt.Errorf("webapi: route handler panicked: %v", v))
	}()
	h.ServeHTTP(sw, r)
}

// anonymousRefs is the resource list of a route opened by allow_insecure.
var anonymousRefs = []string{acl.Anonymous}
