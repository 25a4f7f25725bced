package webapi

import (
	"net/http"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/signature"
)

// Outcome says how the Server answered a request.
type Outcome string

// The outcomes of [Event].
const (
	// OutcomeFixture: an authorised call answered with its route's fixture.
	OutcomeFixture Outcome = "fixture"
	// OutcomeHandler: an authorised call answered by its route's handler
	// (a built-in service or one registered with [Server.Handle]).
	OutcomeHandler Outcome = "handler"
	// OutcomeNoFixture: an authorised call to a route without fixture or
	// handler, answered 200 with a note.
	OutcomeNoFixture Outcome = "no_fixture"
	// OutcomeNoRoute: no route matched (404), or the path is not a REST
	// path at all.
	OutcomeNoRoute Outcome = "no_route"
	// OutcomeRejected: the request was refused before routing: an
	// unsupported method (405), an Accept header no renderer takes (406),
	// or a path no request processor takes (400).
	OutcomeRejected Outcome = "rejected"
	// OutcomeAuthFailed: the OAuth context rejected a signed request; the
	// answer is the provider's error.
	OutcomeAuthFailed Outcome = "auth_failed"
	// OutcomeDenied: the caller may not call the route (401 "The consumer
	// isn't authorized to access %resources.").
	OutcomeDenied Outcome = "denied"
	// OutcomeBadRequest: the body of an authorised POST or PUT could not be
	// read as Magento reads it: a Content-Type that is missing, malformed,
	// not UTF-8 or of no deserializer, or a body that does not decode (400).
	OutcomeBadRequest Outcome = "bad_request"
	// OutcomeHTTPSOnly: a secure route called over http (400).
	OutcomeHTTPSOnly Outcome = "https_only"
	// OutcomeError: an internal error (500).
	OutcomeError Outcome = "error"
	// OutcomeToken: /oauth/token/request or /oauth/token/access answered;
	// Status tells success from failure.
	OutcomeToken Outcome = "oauth_token"
)

// Event describes one request the Server answered, for a journal.
type Event struct {
	// Time is when the request arrived.
	Time time.Time
	// Method is the request method as sent.
	Method string
	// Path is the request path as sent (percent-escapes kept), without the
	// query; Query is the raw query.
	Path  string
	Query string
	// Route is the URL pattern of the matched route ("/V1/products/:sku"),
	// empty when none matched.
	Route string
	// Caller is who the request was made for; a guest when the route is
	// anonymous, since Magento then resolves no user.
	Caller Caller
	// Outcome and Status are how the request was answered.
	Outcome Outcome
	Status  int
	// Err is the Magento error answered, nil on success. A route handler's
	// error is known when it answered it with [Server.WriteError], as the
	// built-in services do.
	Err *magerr.Error
	// BaseString is the signature base string the server computed when the
	// request failed with "The signature is invalid. Verify and try again.",
	// for comparison with the client's; empty otherwise.
	BaseString string
	// Diagnosis is the signature doctor's finding on that failure, when
	// the provider diagnoses signatures; nil otherwise.
	Diagnosis *signature.Diagnosis
	// Request is the request as the Server received it, for an observer
	// that journals more of it; its body has been read by then.
	Request *http.Request
}

// statusWriter records the status a handler writes, for the observer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
