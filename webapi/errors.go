package webapi

import (
	"errors"
	"net/http"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/webapi/internal/wire"
)

// Magento's messages that the Web API raises itself, exactly as Magento
// 2.4.7 writes them (docs/magento-behaviour.md §7.4, §8.3, §13.2).
const (
	MsgNoRoute            = "Request does not match any route."
	MsgNotAuthorized      = "The consumer isn't authorized to access %resources."
	MsgHTTPSOnly          = "Operation allowed only in HTTPS"
	MsgMethodNotSupported = "The %1 HTTP method is not supported."
	MsgCannotProcess      = "Specified request cannot be processed."
	MsgNotAcceptable      = `Server cannot match any of the given Accept HTTP header media type(s) from the request: "%1" with media types from the config of response renderer.`
	MsgSignInFailed       = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."
	MsgDecoding           = "Decoding error."
	MsgContentTypeEmpty   = "Content-Type header is empty."
	MsgContentTypeInvalid = "Content-Type header is invalid."
	MsgCharset            = "UTF-8 is the only supported charset."
	MsgContentTypeUnknown = "Server cannot understand Content-Type HTTP header media type %1"
	MsgNoSuchEntity       = "No such entity with %fieldName = %fieldValue"
)

// Errors this package answers with; each is shared and must not be changed.
var (
	errNoRoute      = &magerr.Error{Message: MsgNoRoute, Class: magerr.Webapi, Code: http.StatusNotFound}
	errHTTPSOnly    = &magerr.Error{Message: MsgHTTPSOnly, Class: magerr.Webapi, Code: http.StatusBadRequest}
	errCannot       = &magerr.Error{Message: MsgCannotProcess, Class: magerr.Webapi, Code: http.StatusBadRequest}
	errSignInFailed = magerr.New(magerr.Authentication, MsgSignInFailed)
	errDecoding     = &magerr.Error{Message: MsgDecoding, Class: magerr.Webapi, Code: http.StatusBadRequest}
)

// notAuthorized is the ACL denial of a route with refs (docs/magento-behaviour.md §10.3).
func notAuthorized(refs string) *magerr.Error {
	return magerr.Named(magerr.Authorization, MsgNotAuthorized, "resources", refs)
}

// methodNotSupported is the 405 of RequestMethodValidator.
func methodNotSupported(method string) *magerr.Error {
	e := magerr.New(magerr.Webapi, MsgMethodNotSupported, method)
	e.Code = http.StatusMethodNotAllowed
	return e
}

// errorBody builds Magento's REST error document for e (Webapi\Rest\
// Response::_renderMessages after ErrorProcessor::maskException):
// "message", then "errors" for an aggregate, then "parameters" when there
// are any. A Magento\Framework\Webapi\Exception (class Webapi) is not
// masked, so its message is sent substituted and without parameters; every
// other class sends the raw template beside its parameters. An internal
// error sends only the report-id message.
func errorBody(e *magerr.Error, reportID string) wire.Object {
	switch e.Class {
	case magerr.Internal:
		return wire.Object{{Key: "message", Value: magerr.Masked(reportID)}}
	case magerr.Webapi:
		return wire.Object{{Key: "message", Value: e.Text()}}
	}
	body := wire.Object{{Key: "message", Value: e.Message}}
	if len(e.Errors) > 0 {
		errs := make(wire.List, len(e.Errors))
		for i, sub := range e.Errors {
			errs[i] = wire.Object{{Key: "message", Value: sub.Message}, {Key: "parameters", Value: parameters(sub)}}
		}
		body = append(body, wire.Field{Key: "errors", Value: errs})
	}
	if len(e.Params) > 0 {
		body = append(body, wire.Field{Key: "parameters", Value: parameters(e)})
	}
	return body
}

// parameters renders e's parameters as Magento does: a list when they are
// positional (%1, %2), an object otherwise; an empty list when none.
func parameters(e *magerr.Error) any {
	if e.Positional() {
		l := make(wire.List, len(e.Params))
		for i, p := range e.Params {
			l[i] = p.Value
		}
		return l
	}
	o := make(wire.Object, len(e.Params))
	for i, p := range e.Params {
		o[i] = wire.Field{Key: p.Name, Value: p.Value}
	}
	return o
}

// asMagento returns err as a *magerr.Error: itself when it is one (found
// with errors.As), otherwise an Internal error wrapping it.
func asMagento(err error) *magerr.Error {
	var me *magerr.Error
	if errors.As(err, &me) {
		return me
	}
	return &magerr.Error{Class: magerr.Internal, Err: err}
}

// writeError answers err as Magento renders a REST exception, in the format
// f, and returns the error answered. A non-Magento error, or one of class
// Internal, is logged with a new report id and answered with the generic
// 500 message.
func (s *Server) writeError(w http.ResponseWriter, f format, err error) *magerr.Error {
	me := asMagento(err)
	var id string
	if me.Class == magerr.Internal {
		id = magerr.ReportID(s.now())
		s.log.Error("webapi: internal error", "report_id", id, "err", err)
	}
	s.write(w, f, me.Status(), errorBody(me, id))
	return me
}

// write answers v with status in the format f.
func (s *Server) write(w http.ResponseWriter, f format, status int, v any) {
	var b []byte
	if f == formatXML {
		w.Header()["Content-Type"] = contentTypeXML
		b = wire.AppendXML(make([]byte, 0, 256), v)
	} else {
		w.Header()["Content-Type"] = contentTypeJSON
		b = wire.AppendJSON(make([]byte, 0, 128), v)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// The Content-Type values of Magento's renderers (Webapi\Response::
// setMimeType adds the charset).
var (
	contentTypeJSON = []string{"application/json; charset=utf-8"}
	contentTypeXML  = []string{"application/xml; charset=utf-8"}
)

// TimeLayout is how Magento's REST layer writes a timestamp column
// (created_at, updated_at): UTC, "2006-01-02 15:04:05".
const TimeLayout = "2006-01-02 15:04:05"
