package magerr_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/magerr"
)

func TestSubstitute(t *testing.T) {
	ten := make([]magerr.Param, 10)
	for i := range ten {
		ten[i] = magerr.Param{Name: strconv.Itoa(i + 1), Value: "v" + string(rune('a'+i))}
	}
	for _, tc := range []struct {
		name, template string
		params         []magerr.Param
		want           string
	}{
		{"none", "The signature is invalid. Verify and try again.", nil, "The signature is invalid. Verify and try again."},
		{"positional", `The integration with name "%1" exists.`, []magerr.Param{{Name: "1", Value: "ERP"}}, `The integration with name "ERP" exists.`},
		{"named", `"%fieldName" is required. Enter and try again.`, []magerr.Param{{Name: "fieldName", Value: "name"}}, `"name" is required. Enter and try again.`},
		{"%10 is not %1 then 0", "%1 and %10", ten, "va and vj"},
		{"longer name first", "%resources and %res", []magerr.Param{{Name: "res", Value: "R"}, {Name: "resources", Value: "A, B"}}, "A, B and R"},
		{"a value is not substituted again", "%1 %2", []magerr.Param{{Name: "1", Value: "%2"}, {Name: "2", Value: "x"}}, "%2 x"},
		{"unknown placeholder kept", "%1 %2", []magerr.Param{{Name: "1", Value: "a"}}, "a %2"},
	} {
		if got := magerr.Substitute(tc.template, tc.params); got != tc.want {
			t.Errorf("%s: Substitute(%q) = %q, want %q", tc.name, tc.template, got, tc.want)
		}
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		err  *magerr.Error
		want int
	}{
		{&magerr.Error{Class: magerr.Internal}, http.StatusInternalServerError},
		{&magerr.Error{Class: magerr.Input}, http.StatusBadRequest},
		{&magerr.Error{Class: magerr.OAuth}, http.StatusUnauthorized},
		{&magerr.Error{Class: magerr.Authentication}, http.StatusUnauthorized},
		{&magerr.Error{Class: magerr.Authorization}, http.StatusUnauthorized},
		{&magerr.Error{Class: magerr.NoSuchEntity}, http.StatusNotFound},
		{&magerr.Error{Class: magerr.Webapi, Code: http.StatusMethodNotAllowed}, http.StatusMethodNotAllowed},
		{&magerr.Error{Class: magerr.Webapi}, http.StatusBadRequest},
	} {
		if got := tc.err.Status(); got != tc.want {
			t.Errorf("Status(%v) = %d, want %d", tc.err.Class, got, tc.want)
		}
	}
}

func TestJoin(t *testing.T) {
	a, b := magerr.Required("oauth_nonce"), magerr.Required("oauth_timestamp")
	if magerr.Join() != nil || magerr.Join(nil, nil) != nil {
		t.Error("Join of nothing is not nil")
	}
	if got := magerr.Join(nil, a); got != a {
		t.Errorf("Join(nil, a) = %v, want a itself", got)
	}
	agg := magerr.Join(a, nil, b)
	if agg.Message != magerr.AggregateMessage || agg.Class != magerr.Input || len(agg.Errors) != 2 || agg.Errors[0] != a || agg.Errors[1] != b {
		t.Errorf("Join(a, nil, b) = %+v, want the aggregate of a and b", agg)
	}
	if agg.Status() != http.StatusBadRequest {
		t.Errorf("aggregate status = %d, want 400", agg.Status())
	}
}

func TestPositionalAndWrap(t *testing.T) {
	if !magerr.New(magerr.Input, "%1 %2", "a", "b").Positional() {
		t.Error("New with %1 and %2 is not positional")
	}
	if magerr.Named(magerr.Input, "%fieldName", "fieldName", "x").Positional() {
		t.Error("Named with fieldName is positional")
	}
	if !(&magerr.Error{}).Positional() {
		t.Error("no parameters is not positional (Magento renders no parameters as a list)")
	}
	base := magerr.New(magerr.OAuth, "Consumer key has expired")
	w := base.Wrap(io.ErrUnexpectedEOF)
	if base.Err != nil {
		t.Error("Wrap changed the receiver")
	}
	if !errors.Is(w, io.ErrUnexpectedEOF) || w.Error() != "Consumer key has expired" {
		t.Errorf("Wrap = %q (cause %v), want the message alone with the cause behind it", w.Error(), errors.Unwrap(w))
	}
}

func TestIs(t *testing.T) {
	nonceUsed := magerr.New(magerr.OAuth, "The nonce is already being used by the consumer with ID %1")
	methodNotAllowed := &magerr.Error{Message: "The %1 HTTP method is not supported.", Class: magerr.Webapi, Code: http.StatusMethodNotAllowed}
	required := magerr.Required("x")
	for _, tc := range []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"same template, other parameters", magerr.New(magerr.OAuth, nonceUsed.Message, "7"), nonceUsed, true},
		{"a wrapped copy", nonceUsed.Wrap(io.EOF), nonceUsed, true},
		{"inside fmt.Errorf", fmt.Errorf("ctx: %w", magerr.New(magerr.OAuth, nonceUsed.Message, "3")), nonceUsed, true},
		{"same template, other class", magerr.New(magerr.Input, nonceUsed.Message), nonceUsed, false},
		{"other template, same class", magerr.New(magerr.OAuth, "Token is already being used"), nonceUsed, false},
		{"webapi code must match when given", magerr.New(magerr.Webapi, methodNotAllowed.Message, "PATCH"), methodNotAllowed, false},
		{"webapi code given on both", &magerr.Error{Message: methodNotAllowed.Message, Class: magerr.Webapi, Code: 405}, methodNotAllowed, true},
		{"target without code", methodNotAllowed, &magerr.Error{Message: methodNotAllowed.Message, Class: magerr.Webapi}, true},
		{"one error of an aggregate", magerr.Join(magerr.Required("a"), magerr.Required("b")), required, true},
		{"the aggregate itself", magerr.Join(magerr.Required("a"), magerr.Required("b")), &magerr.Error{Message: magerr.AggregateMessage, Class: magerr.Input}, true},
		{"not a magerr target", nonceUsed, io.EOF, false},
		{"nil target", nonceUsed, (*magerr.Error)(nil), false},
	} {
		if got := errors.Is(tc.err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReportID(t *testing.T) {
	at := time.Date(2025, 1, 2, 3, 4, 5, 678_901_000, time.UTC)
	id := magerr.ReportID(at)
	if want := fmt.Sprintf("webapi-%08x%05x", at.Unix(), 678_901); id != want {
		t.Errorf("ReportID = %q, want %q", id, want)
	}
	if got, want := magerr.Masked(id), "Internal Error. Details are available in Magento log file. Report ID: "+id; got != want {
		t.Errorf("Masked = %q, want %q", got, want)
	}
}
