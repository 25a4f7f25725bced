package webapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi"
)

func TestFixtures(t *testing.T) {
	e := newEnv(t, nil)
	h := "Authorization: Bearer " + e.adminToken()
	body := json.RawMessage(`{"sku":"24-MB01", "name":"Joust Duffle Bag"}`)
	if err := e.srv.SetFixture(webapi.Fixture{Method: "get", URL: "/V1/products/:sku", Status: 201, Body: body}); err != nil {
		t.Fatal(err)
	}
	body[2] = 'X' // the Server keeps its own copy
	// A fixture is a service's answer: rendered in the format the Accept
	// header asks for (Webapi\Rest\Response::prepareResponse), JSON as set.
	for _, tc := range []struct{ accept, contentType, body string }{
		{"application/json", "application/json; charset=utf-8", `{"sku":"24-MB01", "name":"Joust Duffle Bag"}`},
		{"application/xml", "application/xml; charset=utf-8", "<?xml version=\"1.0\"?>\n<response>\n  <sku>24-MB01</sku>\n  <name>Joust Duffle Bag</name>\n</response>\n"},
	} {
		accept := tc.accept
		resp := e.do("GET", "/rest/V1/products/anything", "", h, "Accept: "+accept)
		if resp.status != 201 || resp.body != tc.body || resp.header.Get("Content-Type") != tc.contentType {
			t.Errorf("fixture with Accept %s = %d %s %q", accept, resp.status, resp.header.Get("Content-Type"), resp.body)
		}
		if ev := e.lastEvent(); ev.Outcome != webapi.OutcomeFixture || ev.Status != 201 {
			t.Errorf("event = %+v", ev)
		}
	}
	// Only authorised calls get it.
	if resp := e.do("GET", "/rest/V1/products/anything", ""); resp.status != 401 {
		t.Errorf("guest = %d %s", resp.status, resp.body)
	}
	f, err := e.srv.Fixture("GET", "/V1/products/:sku")
	if err != nil || f.Method != "GET" || f.Status != 201 || string(f.Body) != `{"sku":"24-MB01", "name":"Joust Duffle Bag"}` {
		t.Errorf("Fixture() = %+v, %v", f, err)
	}
	if all := e.srv.Fixtures(); len(all) != 1 || all[0].URL != "/V1/products/:sku" {
		t.Errorf("Fixtures() = %+v", all)
	}
	for _, bad := range []webapi.Fixture{
		{Method: "GET", URL: "/V1/nothing", Body: json.RawMessage(`{}`)},
		{Method: "PATCH", URL: "/V1/products", Body: json.RawMessage(`{}`)},
		{Method: "GET", URL: "/V1/products", Status: 999, Body: json.RawMessage(`{}`)},
		{Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"a":`)},
	} {
		var me *magerr.Error
		if err := e.srv.SetFixture(bad); !errors.As(err, &me) || me.Status() != 400 {
			t.Errorf("SetFixture(%+v) = %v, want an input error", bad, err)
		}
	}
	if err := e.srv.DeleteFixture("GET", "/V1/products/:sku"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.Fixture("GET", "/V1/products/:sku"); err == nil {
		t.Error("Fixture() after DeleteFixture = nil error")
	}
	if resp := e.do("GET", "/rest/V1/products/anything", "", h); resp.status != 200 || resp.body != noFixture("GET", "/V1/products/:sku") {
		t.Errorf("after DeleteFixture = %d %s", resp.status, resp.body)
	}
	// Reset forgets fixtures and customers, and keeps the admin.
	if err := e.srv.SetFixture(webapi.Fixture{Method: "GET", URL: "/V1/orders", Body: json.RawMessage(`[]`)}); err != nil {
		t.Fatal(err)
	}
	e.postJSON("/rest/V1/customers", `{"customer":{"email":"j@example.com","firstname":"J","lastname":"D"},"password":"Secret-123"}`)
	if err := e.srv.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(e.srv.Fixtures()) != 0 {
		t.Error("Reset kept fixtures")
	}
	if _, err := e.srv.Users().CustomerByEmail(t.Context(), "j@example.com"); err == nil {
		t.Error("Reset kept customers")
	}
	e.adminToken()
}

func TestHandle(t *testing.T) {
	e := newEnv(t, nil)
	e.integrationWith(1, false, "Magento_Catalog::catalog")
	err := e.srv.Handle("GET", "/V1/products/:sku/options/:optionId", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := webapi.CallerFromContext(r.Context())
		rt, _ := webapi.RouteFromContext(r.Context())
		p := webapi.PathParams(r)
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, "%v %v %d %s %s %q %q", ok, c.Type, c.ID, c.Credential, rt.URL, p["sku"], p["optionId"])
	}))
	if err != nil {
		t.Fatal(err)
	}
	resp := e.signed(1, "GET", "/rest/V1/products/MB01/options/7", "")
	if want := `true integration 1 oauth /V1/products/:sku/options/:optionId "MB01" "7"`; resp.status != 202 || resp.body != want {
		t.Errorf("handler = %d %s, want 202 %s", resp.status, resp.body, want)
	}
	if ev := e.lastEvent(); ev.Outcome != webapi.OutcomeHandler || ev.Status != 202 || ev.Caller.Type != user.Integration {
		t.Errorf("event = %+v", ev)
	}
	// Path parameters are decoded as PHP's urldecode decodes them. (A
	// signed request with %2F in its path fails in Magento 2.4.7, whose
	// Laminas normalisation decodes it before signing: docs/magento-behaviour.md §0.1.)
	resp = e.do("GET", "/rest/V1/products/a+b%2Fc/options/7", "", "Authorization: Bearer "+e.adminToken())
	if want := `true admin 1 admin-token /V1/products/:sku/options/:optionId "a b/c" "7"`; resp.status != 202 || resp.body != want {
		t.Errorf("handler = %d %s, want 202 %s", resp.status, resp.body, want)
	}
	if _, ok := webapi.CallerFromContext(t.Context()); ok {
		t.Error("CallerFromContext outside a handler: ok")
	}
	if err := e.srv.Handle("GET", "/V1/nope", http.NotFoundHandler()); err == nil {
		t.Error("Handle(unknown route) = nil error")
	}
	// Removing the built-in token service leaves the route without answer.
	if err := e.srv.Handle("POST", "/V1/integration/admin/token", nil); err != nil {
		t.Fatal(err)
	}
	if resp := e.postJSON("/rest/V1/integration/admin/token", `{"username":"admin","password":"x"}`); resp.body != noFixture("POST", "/V1/integration/admin/token") {
		t.Errorf("removed handler = %d %s", resp.status, resp.body)
	}
}

// TestBodies checks that the body of a POST or PUT is read as Magento reads
// it before any fixture or handler answers.
func TestBodies(t *testing.T) {
	e := newEnv(t, nil)
	admin := "Authorization: Bearer " + e.adminToken()
	if err := e.srv.SetFixture(webapi.Fixture{Method: "POST", URL: "/V1/products", Body: json.RawMessage(`{"id":1}`)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, body, contentType string
		status                        int
		want                          string
	}{
		{"JSON", "/rest/V1/products", `{"product":{"sku":"x"}}`, "application/json", 200, `{"id":1}`},
		// The service's product parameter is required (docs/magento-fidelity.md §2).
		{"no body", "/rest/V1/products", ``, "", 400, `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"product"}}`},
		{"bad JSON", "/rest/V1/products", `{"product":`, "application/json", 400, `{"message":"Decoding error."}`},
		// PHP's json_decode refuses what encoding/json would read with
		// U+FFFD in place (Serialize\Serializer\Json::unserialize).
		{"JSON not UTF-8", "/rest/V1/products", "{\"product\":{\"sku\":\"caf\xe9\"}}", "application/json", 400, `{"message":"Decoding error."}`},
		{"JSON UTF-8 of a surrogate", "/rest/V1/products", "{\"product\":{\"sku\":\"\xed\xa0\x80\"}}", "application/json", 400, `{"message":"Decoding error."}`},
		{"JSON unpaired high surrogate", "/rest/V1/products", `{"product":{"sku":"\ud800"}}`, "application/json", 400, `{"message":"Decoding error."}`},
		{"JSON high surrogate, then a letter", "/rest/V1/products", `{"product":{"sku":"\ud800x"}}`, "application/json", 400, `{"message":"Decoding error."}`},
		{"JSON two high surrogates", "/rest/V1/products", `{"product":{"sku":"\ud800\ud800\udc00"}}`, "application/json", 400, `{"message":"Decoding error."}`},
		{"JSON high surrogate, then another escape", "/rest/V1/products", `{"product":{"sku":"\ud800\n"}}`, "application/json", 400, `{"message":"Decoding error."}`},
		{"JSON lone low surrogate", "/rest/V1/products", `{"product":{"sku":"\udc00"}}`, "application/json", 400, `{"message":"Decoding error."}`},
		{"JSON surrogate pair", "/rest/V1/products", `{"product":{"sku":"\ud83d\ude00 \u00e9"}}`, "application/json", 200, `{"id":1}`},
		{"JSON escaped backslash before u", "/rest/V1/products", `{"product":{"sku":"\\ud800"}}`, "application/json", 200, `{"id":1}`},
		{"JSON UTF-8 text", "/rest/V1/products", `{"product":{"sku":"café ☕ 😀"}}`, "application/json", 200, `{"id":1}`},
		{"text", "/rest/V1/products", `sku=x`, "text/plain", 400, `{"message":"Server cannot understand Content-Type HTTP header media type text\/plain"}`},
		{"XML", "/rest/V1/products", `<?xml version="1.0"?><request><product><sku>x</sku></product></request>`, "application/xml", 200, `{"id":1}`},
		{"bad XML", "/rest/V1/products", `<request><product>`, "text/xml", 400, `{"message":"Decoding error."}`},
		// app/etc/di.xml maps application/xhtml+xml to the XML deserializer.
		{"XHTML", "/rest/V1/products", `<request><product><sku>x</sku></product></request>`, "application/xhtml+xml", 200, `{"id":1}`},
		{"XML nested 256 deep", "/rest/V1/products", "<request><product>" + strings.Repeat("<a>", 254) + strings.Repeat("</a>", 254) + "</product></request>", "application/xml", 200, `{"id":1}`},
		{"XML nested 257 deep", "/rest/V1/products", "<request>" + strings.Repeat("<a>", 256) + strings.Repeat("</a>", 256) + "</request>", "application/xml", 400, `{"message":"Decoding error."}`},
		// A guest route: before the limit, a million levels exhausted the
		// stack and killed the process.
		{"XML nested a million deep", "/rest/V1/integration/admin/token", "<request>" + strings.Repeat("<a>", 1_000_000) + strings.Repeat("</a>", 1_000_000) + "</request>", "application/xml", 400, `{"message":"Decoding error."}`},
		{"XML credentials", "/rest/V1/integration/admin/token", `<request><username>admin</username><password>magento123</password></request>`, "application/xml", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headers := []string{admin}
			if tc.contentType != "" {
				headers = append(headers, "Content-Type: "+tc.contentType)
			}
			resp := e.do("POST", tc.path, tc.body, headers...)
			if resp.status != tc.status || tc.want != "" && resp.body != tc.want {
				t.Errorf("POST %s %s = %d %s, want %d %s", tc.path, tc.body, resp.status, resp.body, tc.status, tc.want)
			}
			if tc.status == 400 {
				if ev := e.lastEvent(); ev.Outcome != webapi.OutcomeBadRequest {
					t.Errorf("outcome = %s", ev.Outcome)
				}
			}
		})
	}
}
