package magerr

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Class is the Magento exception class of an [Error]. It decides the HTTP
// status (docs/magento-behaviour.md §7.4, §8.3) and how each transport renders the error.
type Class int

const (
	// Internal is any exception Magento does not map: 500, rendered with a
	// generic body so that nothing internal leaks.
	Internal Class = iota
	// Input is InputException and OauthInputException: 400.
	Input
	// OAuth is Magento\Framework\Oauth\Exception, an AuthenticationException
	// raised by the OAuth provider: 401.
	OAuth
	// Authentication is AuthenticationException outside OAuth (token
	// services, password confirmation): 401.
	Authentication
	// Authorization is AuthorizationException (ACL denial): 401.
	Authorization
	// NoSuchEntity is NoSuchEntityException: 404.
	NoSuchEntity
	// Webapi is Magento\Framework\Webapi\Exception, whose HTTP status is
	// carried in [Error.Code] (404 no route, 405, 400 HTTPS only, 429).
	Webapi
)

// String names the class, for logs.
func (c Class) String() string {
	switch c {
	case Input:
		return "input"
	case OAuth:
		return "oauth"
	case Authentication:
		return "authentication"
	case Authorization:
		return "authorization"
	case NoSuchEntity:
		return "no-such-entity"
	case Webapi:
		return "webapi"
	default:
		return "internal"
	}
}

// Param is one message parameter. Positional parameters (%1, %2) are named
// "1", "2"; named ones (%fieldName, %resources) carry their name.
type Param struct {
	Name  string
	Value string
}

// AggregateMessage is the template of an input error that holds several
// errors (Magento's AbstractAggregateException).
const AggregateMessage = "One or more input exceptions have occurred."

// Error is a Magento exception: a message template, its parameters and its
// class. Its fields are read-only once the error is returned; an Error is
// safe to share between goroutines. Parameters never hold secrets.
type Error struct {
	// Message is the template exactly as Magento writes it, placeholders
	// unsubstituted: `The integration with name "%1" exists.`
	Message string
	// Params fill the placeholders, in order.
	Params []Param
	// Class is the exception class; it decides the status.
	Class Class
	// Code is the HTTP status of a [Webapi] error; 0 for the other classes.
	Code int
	// Errors holds the individual errors of an aggregate input error
	// (Message is then [AggregateMessage]).
	Errors []*Error
	// Err is the cause. It is logged, never sent to a client.
	Err error
}

// New returns an error of class c whose template has positional
// placeholders %1, %2, ... filled by args in order.
func New(c Class, template string, args ...string) *Error {
	e := &Error{Message: template, Class: c}
	if len(args) > 0 {
		e.Params = make([]Param, len(args))
		for i, a := range args {
			e.Params[i] = Param{Name: strconv.Itoa(i + 1), Value: a}
		}
	}
	return e
}

// Named returns an error of class c whose template has one named
// placeholder %name, filled by value.
func Named(c Class, template, name, value string) *Error {
	return &Error{Message: template, Class: c, Params: []Param{{Name: name, Value: value}}}
}

// Wrap returns a copy of e whose cause is err. The copy still matches e
// with errors.Is (see [Error.Is]).
func (e *Error) Wrap(err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// RequiredMessage is the template of a missing required field.
const RequiredMessage = `"%fieldName" is required. Enter and try again.`

// Required returns Magento's input error for a missing field.
func Required(field string) *Error {
	return Named(Input, RequiredMessage, "fieldName", field)
}

// Join aggregates input errors as Magento's InputException does: nil for
// none, the error itself for one, and an [AggregateMessage] error holding
// them all for two or more.
func Join(errs ...*Error) *Error {
	errs = slices.DeleteFunc(slices.Clone(errs), func(e *Error) bool { return e == nil })
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return &Error{Message: AggregateMessage, Class: Input, Errors: errs}
}

// Text returns the message with its placeholders substituted, as Magento
// renders a Phrase.
func (e *Error) Text() string {
	return Substitute(e.Message, e.Params)
}

// Error returns the substituted message. It never contains the cause, so it
// is safe to show; use errors.Unwrap for the cause.
func (e *Error) Error() string { return e.Text() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e is the Magento error target stands for: a *Error of
// the same class and message template, whatever the parameters and the
// cause, as Magento code tells exceptions apart by class and phrase (and
// fosite its errors by code). A target of class [Webapi] with a Code also
// needs that Code. An aggregate input error is also each of its errors.
// So errors.Is(err, oauth.ErrNonceUsed) holds for every "The nonce is
// already being used by the consumer with ID %1", wrapped or not.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t == nil {
		return false
	}
	if e.Class == t.Class && e.Message == t.Message && (t.Code == 0 || e.Code == t.Code) {
		return true
	}
	for _, sub := range e.Errors {
		if sub.Is(t) {
			return true
		}
	}
	return false
}

// Status returns the HTTP status Magento answers on REST for this error
// (docs/magento-behaviour.md §7.4).
func (e *Error) Status() int {
	switch e.Class {
	case Input:
		return http.StatusBadRequest
	case OAuth, Authentication, Authorization:
		return http.StatusUnauthorized
	case NoSuchEntity:
		return http.StatusNotFound
	case Webapi:
		if e.Code != 0 {
			return e.Code
		}
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// Positional reports whether the parameters are all positional (%1, %2...,
// in order), in which case Magento renders them as a JSON array rather than
// an object.
func (e *Error) Positional() bool {
	for i, p := range e.Params {
		if p.Name != strconv.Itoa(i+1) {
			return false
		}
	}
	return true
}

// InternalMessage is the message with which Magento answers an exception
// it does not map (Webapi\ErrorProcessor::maskException): the cause goes to
// the log under the report id %1, never to the client.
const InternalMessage = "Internal Error. Details are available in Magento log file. Report ID: %1"

// ReportID is PHP's uniqid("webapi-") at t, the id Magento logs an internal
// error under and shows in [InternalMessage]: the prefix, then the Unix
// seconds and microseconds of t in 8 and 5 hex digits.
func ReportID(t time.Time) string {
	return fmt.Sprintf("webapi-%08x%05x", t.Unix(), t.Nanosecond()/1000)
}

// Masked returns the text shown to a client for the internal error with
// report id: [InternalMessage] substituted.
func Masked(reportID string) string {
	return Substitute(InternalMessage, []Param{{Name: "1", Value: reportID}})
}

// Substitute replaces every %name placeholder of template by its parameter.
// Longer names are replaced first, so %10 is never read as %1 followed by 0.
func Substitute(template string, params []Param) string {
	if len(params) == 0 || !strings.Contains(template, "%") {
		return template
	}
	ps := slices.Clone(params)
	slices.SortStableFunc(ps, func(a, b Param) int { return len(b.Name) - len(a.Name) })
	pairs := make([]string, 0, 2*len(ps))
	for _, p := range ps {
		pairs = append(pairs, "%"+p.Name, p.Value)
	}
	return strings.NewReplacer(pairs...).Replace(template)
}
