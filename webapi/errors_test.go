package webapi_test

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/webapi"
)

func TestErrorFormats(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		name, method, path, body, accept string
		status                           int
		contentType, want                string
	}{
		{"named parameters, XML", "GET", "/rest/V1/products", "", "application/xml", 401, "application/xml; charset=utf-8",
			"<?xml version=\"1.0\"?>\n<response>\n  <message>The consumer isn't authorized to access %resources.</message>\n" +
				"  <parameters>\n    <resources>Magento_Catalog::products</resources>\n  </parameters>\n</response>\n"},
		{"browser Accept prefers XML", "GET", "/rest/V1/nothing", "", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 404, "application/xml; charset=utf-8",
			"<?xml version=\"1.0\"?>\n<response>\n  <message>Request does not match any route.</message>\n</response>\n"},
		{"aggregate, XML", "POST", "/rest/V1/integration/admin/token", "{}", "text/xml", 400, "application/xml; charset=utf-8",
			"<?xml version=\"1.0\"?>\n<response>\n  <message>One or more input exceptions have occurred.</message>\n  <errors>\n" +
				"    <item>\n      <message>\"%fieldName\" is required. Enter and try again.</message>\n      <parameters>\n        <fieldName>username</fieldName>\n      </parameters>\n    </item>\n" +
				"    <item>\n      <message>\"%fieldName\" is required. Enter and try again.</message>\n      <parameters>\n        <fieldName>password</fieldName>\n      </parameters>\n    </item>\n" +
				"  </errors>\n</response>\n"},
		{"aggregate, JSON", "POST", "/rest/V1/integration/admin/token", "{}", "application/json", 400, "application/json; charset=utf-8",
			`{"message":"One or more input exceptions have occurred.","errors":[` +
				`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"username"}},` +
				`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"password"}}]}`},
		{"JSON wins ties by header order", "GET", "/rest/V1/nothing", "", "application/json, application/xml", 404, "application/json; charset=utf-8",
			`{"message":"Request does not match any route."}`},
		{"quality orders types", "GET", "/rest/V1/nothing", "", "application/json;q=0.5, text/xml", 404, "application/xml; charset=utf-8", ""},
		{"no renderer", "GET", "/rest/V1/products", "", "text/html", 406, "application/json; charset=utf-8",
			`{"message":"Server cannot match any of the given Accept HTTP header media type(s) from the request: \"text\/html\" with media types from the config of response renderer."}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headers := []string{"Accept: " + tc.accept}
			if tc.body != "" {
				headers = append(headers, "Content-Type: application/json")
			}
			resp := e.do(tc.method, tc.path, tc.body, headers...)
			if resp.status != tc.status || tc.want != "" && resp.body != tc.want {
				t.Errorf("%s %s = %d\n%s\nwant %d\n%s", tc.method, tc.path, resp.status, resp.body, tc.status, tc.want)
			}
			if ct := resp.header.Get("Content-Type"); ct != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tc.contentType)
			}
			if tc.contentType == "application/xml; charset=utf-8" {
				var v struct {
					Message string `xml:"message"`
				}
				if err := xml.Unmarshal([]byte(resp.body), &v); err != nil || v.Message == "" {
					t.Errorf("XML does not parse: %v %+v", err, v)
				}
			}
		})
	}
}

// TestWriteError checks the rendering of errors a handler answers.
func TestWriteError(t *testing.T) {
	e := newEnv(t, nil)
	var answer error
	if err := e.srv.Handle("GET", "/V1/store/websites", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.srv.WriteError(w, r, answer)
	})); err != nil {
		t.Fatal(err)
	}
	if err := e.settings.Set(map[string]string{settings.PathAllowInsecure: "1"}); err != nil {
		t.Fatal(err)
	}
	internal := regexp.MustCompile(`^\{"message":"Internal Error\. Details are available in Magento log file\. Report ID: webapi-[0-9a-f]{13}"\}$`)
	for _, tc := range []struct {
		name   string
		err    error
		status int
		want   string
		re     *regexp.Regexp
	}{
		{"plain error", errors.New("disk on fire"), 500, "", internal},
		{"internal class", magerr.New(magerr.Internal, "secret detail"), 500, "", internal},
		{"positional", magerr.New(magerr.Input, "Signature method %1 is not supported", "HMAC-SHA1"), 400,
			`{"message":"Signature method %1 is not supported","parameters":["HMAC-SHA1"]}`, nil},
		{"webapi class is substituted", &magerr.Error{Message: "The %1 HTTP method is not supported.", Params: []magerr.Param{{Name: "1", Value: "HEAD"}}, Class: magerr.Webapi, Code: 405}, 405,
			`{"message":"The HEAD HTTP method is not supported."}`, nil},
		{"no such entity", magerr.New(magerr.NoSuchEntity, `The integration with ID "%1" doesn't exist.`, "7"), 404,
			`{"message":"The integration with ID \"%1\" doesn't exist.","parameters":["7"]}`, nil},
		{"wrapped", errors.Join(errors.New("context"), magerr.New(magerr.Authentication, "No. é/ü 😀")), 401,
			`{"message":"No. \u00e9\/\u00fc \ud83d\ude00"}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer = tc.err
			resp := e.do("GET", "/rest/V1/store/websites", "")
			if resp.status != tc.status || tc.re == nil && resp.body != tc.want || tc.re != nil && !tc.re.MatchString(resp.body) {
				t.Errorf("WriteError(%v) = %d %s, want %d %s%v", tc.err, resp.status, resp.body, tc.status, tc.want, tc.re)
			}
		})
	}
}

// TestHandlerPanic checks that a panicking route handler is answered as
// Magento answers an unexpected exception, 500 with a report id, recorded
// as an error, and that the server goes on serving; and that a handler
// that panics after writing aborts the connection rather than adding a
// second answer.
func TestHandlerPanic(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.settings.Set(map[string]string{settings.PathAllowInsecure: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Handle("GET", "/V1/store/websites", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("handler bug")
	})); err != nil {
		t.Fatal(err)
	}
	internal := regexp.MustCompile(`^\{"message":"Internal Error\. Details are available in Magento log file\. Report ID: webapi-[0-9a-f]{13}"\}$`)
	for range 2 {
		r := e.do("GET", "/rest/V1/store/websites", "")
		if r.status != 500 || !internal.MatchString(r.body) {
			t.Fatalf("panicking handler = %d %s, want Magento's 500", r.status, r.body)
		}
		if ev := e.lastEvent(); ev.Outcome != webapi.OutcomeError || ev.Status != 500 {
			t.Errorf("event = %s %d, want error 500", ev.Outcome, ev.Status)
		}
	}

	if err := e.srv.Handle("GET", "/V1/store/storeViews", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("[{"))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic("half way")
	})); err != nil {
		t.Fatal(err)
	}
	resp, err := e.http.Client().Get(e.http.URL + "/rest/V1/store/storeViews")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Error("a handler that panicked after writing: the answer ended cleanly, want the connection aborted")
	}
}
