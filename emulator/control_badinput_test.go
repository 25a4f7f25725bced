package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/magekit/magekit/integration"
)

// emuOAuth is an Authorization header of OAuth parameters, unsigned.
func emuOAuth(params string) string { return "Authorization: OAuth " + params }

// TestControlBadInput sends malformed requests (headers, bodies, paths,
// JSON) to the control routes and Magento's routes: each must get a 4xx
// with a Magento-shaped JSON body {"message": ...}, never a 500, and the
// journal must record no internal error.
func TestControlBadInput(t *testing.T) {
	h := newEmuHarness(t, nil)
	if _, err := h.emu.Service().CreateWithCredentials(t.Context(), integration.Integration{Name: "ERP", AllResources: true}, emuCreds); err != nil {
		t.Fatal(err)
	}
	admin := "Authorization: Bearer " + h.adminToken()
	const js = "Content-Type: application/json"
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	huge := `{"integration":{"name":"` + strings.Repeat("x", 9<<20) + `"}}`
	validOAuth := `oauth_consumer_key="` + emuCreds.ConsumerKey + `",oauth_token="` + emuCreds.AccessToken +
		`",oauth_signature_method="HMAC-SHA256",oauth_nonce="n1",oauth_timestamp="1",oauth_signature="abc"`

	tests := []struct {
		name, method, path, body string
		headers                  []string
	}{
		// Bodies of POST /V1/integrations.
		{"no body", "POST", "/rest/V1/integrations", "", []string{admin, js}},
		{"truncated JSON", "POST", "/rest/V1/integrations", "{", []string{admin, js}},
		{"JSON null", "POST", "/rest/V1/integrations", "null", []string{admin, js}},
		{"JSON array", "POST", "/rest/V1/integrations", "[]", []string{admin, js}},
		{"JSON string", "POST", "/rest/V1/integrations", `"ERP"`, []string{admin, js}},
		{"JSON number", "POST", "/rest/V1/integrations", `42`, []string{admin, js}},
		{"trailing garbage", "POST", "/rest/V1/integrations", `{"integration":{"name":"ERP"}} x`, []string{admin, js}},
		{"byte order mark", "POST", "/rest/V1/integrations", "\xef\xbb\xbf{\"integration\":{\"name\":\"ERP\"}}", []string{admin, js}},
		{"nested too deep", "POST", "/rest/V1/integrations", deep, []string{admin, js}},
		{"body over 8 MiB", "POST", "/rest/V1/integrations", huge, []string{admin, js}},
		{"integration a string", "POST", "/rest/V1/integrations", `{"integration":"ERP"}`, []string{admin, js}},
		{"integration an array", "POST", "/rest/V1/integrations", `{"integration":[]}`, []string{admin, js}},
		{"integration null", "POST", "/rest/V1/integrations", `{"integration":null}`, []string{admin, js}},
		{"name an object", "POST", "/rest/V1/integrations", `{"integration":{"name":{}}}`, []string{admin, js}},
		{"name a boolean", "POST", "/rest/V1/integrations", `{"integration":{"name":true}}`, []string{admin, js}},
		{"name empty", "POST", "/rest/V1/integrations", `{"integration":{"name":""}}`, []string{admin, js}},
		{"name blank", "POST", "/rest/V1/integrations", `{"integration":{"name":"   "}}`, []string{admin, js}},
		{"name too long", "POST", "/rest/V1/integrations", `{"integration":{"name":"` + strings.Repeat("n", 300) + `"}}`, []string{admin, js}},
		{"name taken", "POST", "/rest/V1/integrations", `{"integration":{"name":"ERP"}}`, []string{admin, js}},
		{"email invalid", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","email":"not-an-email"}}`, []string{admin, js}},
		{"endpoint not http", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","endpoint":"ftp://app.example"}}`, []string{admin, js}},
		{"identity link javascript", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","identity_link_url":"javascript:alert(1)"}}`, []string{admin, js}},
		{"all_resources a word", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","all_resources":"yes"}}`, []string{admin, js}},
		{"all_resources a number", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","all_resources":2}}`, []string{admin, js}},
		{"resources a string", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","resources":"Magento_Backend::all"}}`, []string{admin, js}},
		{"resources numbers", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","resources":[1,2]}}`, []string{admin, js}},
		{"resource unknown", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","resources":["Nope::nope"]}}`, []string{admin, js}},
		{"credentials a string", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","credentials":"abc"}}`, []string{admin, js}},
		{"credentials empty", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","credentials":{}}}`, []string{admin, js}},
		{"credentials upper case", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","credentials":{"consumer_key":"` +
			strings.Repeat("A", 32) + `","consumer_secret":"` + strings.Repeat("b", 32) + `","access_token":"` + strings.Repeat("c", 32) +
			`","access_token_secret":"` + strings.Repeat("d", 32) + `"}}}`, []string{admin, js}},
		{"credentials a number", "POST", "/rest/V1/integrations", `{"integration":{"name":"A","credentials":{"consumer_key":[1]}}}`, []string{admin, js}},
		{"password a list", "POST", "/rest/V1/integrations", `{"current_password":["magento123"],"integration":{"name":"A"}}`, []string{admin, js}},
		{"password wrong number", "POST", "/rest/V1/integrations", `{"current_password":123,"integration":{"name":"A"}}`, []string{admin, js}},

		// Content types.
		{"no content type", "POST", "/rest/V1/integrations", `{"integration":{"name":"A"}}`, []string{admin}},
		{"text/plain", "POST", "/rest/V1/integrations", `{"integration":{"name":"A"}}`, []string{admin, "Content-Type: text/plain"}},
		{"form body", "POST", "/rest/V1/integrations", `integration[name]=A`, []string{admin, "Content-Type: application/x-www-form-urlencoded"}},
		{"latin1 charset", "POST", "/rest/V1/integrations", `{"integration":{"name":"A"}}`, []string{admin, "Content-Type: application/json; charset=latin1"}},
		{"content type malformed", "POST", "/rest/V1/integrations", `{"integration":{"name":"A"}}`, []string{admin, "Content-Type: application json"}},
		{"content type parameter", "POST", "/rest/V1/integrations", `{"integration":{"name":"A"}}`, []string{admin, "Content-Type: application/json; boundary=x"}},

		// Paths of the control routes.
		{"id not a number", "GET", "/rest/V1/integrations/abc", "", []string{admin}},
		{"id negative", "GET", "/rest/V1/integrations/-1", "", []string{admin}},
		{"id too large", "GET", "/rest/V1/integrations/99999999999999999999", "", []string{admin}},
		{"id fraction", "GET", "/rest/V1/integrations/1.5", "", []string{admin}},
		{"id a space", "GET", "/rest/V1/integrations/%20", "", []string{admin}},
		{"id empty", "PUT", "/rest/V1/integrations//activate", `{"integration":{}}`, []string{admin, js}},
		{"delete id 0", "DELETE", "/rest/V1/integrations/0", "", []string{admin}},
		{"activate id text", "POST", "/rest/V1/integrations/abc/activate", "", []string{admin}},
		{"tokens missing", "GET", "/rest/V1/integrations/404/tokens", "", []string{admin}},
		{"update missing", "PUT", "/rest/V1/integrations/404", `{"integration":{"name":"B"}}`, []string{admin, js}},
		{"update non-object", "PUT", "/rest/V1/integrations/1", `{"integration":5}`, []string{admin, js}},
		{"unknown control route", "GET", "/rest/V1/emulator/nothing", "", []string{admin}},
		{"wrong method on control route", "DELETE", "/rest/V1/emulator/config", "", []string{admin}},

		// Config and fixtures.
		{"config a string", "PUT", "/rest/V1/emulator/config", `{"config":"x"}`, []string{admin, js}},
		{"config missing", "PUT", "/rest/V1/emulator/config", `{}`, []string{admin, js}},
		{"config timeout text", "PUT", "/rest/V1/emulator/config", `{"config":{"oauth/consumer/post_timeout":"abc"}}`, []string{admin, js}},
		{"config yes/no 2", "PUT", "/rest/V1/emulator/config", `{"config":{"webapi/webapisecurity/allow_insecure":"2"}}`, []string{admin, js}},
		{"config null value", "PUT", "/rest/V1/emulator/config", `{"config":{"a/b/c":null}}`, []string{admin, js}},
		{"config list value", "PUT", "/rest/V1/emulator/config", `{"config":{"a/b/c":[1]}}`, []string{admin, js}},
		{"fixture missing", "PUT", "/rest/V1/emulator/fixtures", `{}`, []string{admin, js}},
		{"fixture without url", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET"}}`, []string{admin, js}},
		{"fixture unknown route", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET","url":"/V1/nothing"}}`, []string{admin, js}},
		{"fixture full path", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET","url":"/rest/V1/products"}}`, []string{admin, js}},
		{"fixture status text", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET","url":"/V1/products","status":"ok"}}`, []string{admin, js}},
		{"fixture status 99", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET","url":"/V1/products","status":99}}`, []string{admin, js}},
		{"fixture status 600", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET","url":"/V1/products","status":600}}`, []string{admin, js}},
		{"fixture method PATCH", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"PATCH","url":"/V1/products"}}`, []string{admin, js}},
		{"fixture on a control route", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"POST","url":"/V1/emulator/reset","body":true}}`, []string{admin, js}},
		{"fixture a list", "PUT", "/rest/V1/emulator/fixtures", `{"fixture":[]}`, []string{admin, js}},

		// Authorization headers.
		{"no credential", "GET", "/rest/V1/integrations", "", nil},
		{"bearer without token", "GET", "/rest/V1/integrations", "", []string{"Authorization: Bearer"}},
		{"bearer two tokens", "GET", "/rest/V1/integrations", "", []string{"Authorization: Bearer a b"}},
		{"bearer garbage", "GET", "/rest/V1/integrations", "", []string{"Authorization: Bearer " + strings.Repeat("z", 32)}},
		{"bearer forged JWT", "GET", "/rest/V1/integrations", "", []string{"Authorization: Bearer eyJhbGciOiJub25lIn0.eyJ1aWQiOjEsInV0eXBpZCI6Mn0."}},
		{"integration bearer disabled", "GET", "/rest/V1/integrations", "", []string{"Authorization: Bearer " + emuCreds.AccessToken}},
		{"basic auth", "GET", "/rest/V1/integrations", "", []string{"Authorization: Basic YWRtaW46bWFnZW50bzEyMw=="}},
		{"oauth nothing", "GET", "/rest/V1/products", "", []string{emuOAuth(`oauth_x="1"`)}},
		{"oauth missing nonce", "GET", "/rest/V1/products", "", []string{emuOAuth(strings.Replace(validOAuth, `oauth_nonce="n1",`, "", 1))}},
		{"oauth SHA1", "GET", "/rest/V1/products", "", []string{emuOAuth(strings.Replace(validOAuth, "HMAC-SHA256", "HMAC-SHA1", 1))}},
		{"oauth version 2", "GET", "/rest/V1/products", "", []string{emuOAuth(validOAuth + `,oauth_version="2.0"`)}},
		{"oauth short token", "GET", "/rest/V1/products", "", []string{emuOAuth(strings.Replace(validOAuth, emuCreds.AccessToken, "short", 1))}},
		{"oauth short consumer key", "GET", "/rest/V1/products", "", []string{emuOAuth(strings.Replace(validOAuth, emuCreds.ConsumerKey, "short", 1))}},
		{"oauth unknown consumer", "GET", "/rest/V1/products", "", []string{emuOAuth(strings.Replace(validOAuth, emuCreds.ConsumerKey, strings.Repeat("q", 32), 1))}},
		{"oauth bad signature", "GET", "/rest/V1/products", "", []string{emuOAuth(validOAuth)}},
		{"oauth on a control route", "GET", "/rest/V1/integrations", "", []string{emuOAuth(strings.Replace(validOAuth, `"n1"`, `"n2"`, 1))}},

		// Magento's routes.
		{"accept image", "GET", "/rest/V1/products", "", []string{admin, "Accept: image/png"}},
		{"method PATCH", "PATCH", "/rest/V1/products", "", []string{admin}},
		{"no such route", "GET", "/rest/V1/no/such/route", "", []string{admin}},
		{"no version", "GET", "/rest/products", "", []string{admin}},
		{"outside rest", "GET", "/catalog/product/view", "", nil},
		{"guest products", "GET", "/rest/V1/products", "", nil},
		{"admin on a self route", "GET", "/rest/V1/customers/me", "", []string{admin}},
		{"admin token wrong password", "POST", "/rest/V1/integration/admin/token", `{"username":"admin","password":"x"}`, []string{js}},
		{"admin token empty", "POST", "/rest/V1/integration/admin/token", `{}`, []string{js}},
		{"admin token not JSON", "POST", "/rest/V1/integration/admin/token", `username=admin`, []string{js}},
		{"customer sign-up empty", "POST", "/rest/V1/customers", `{}`, []string{js}},
		{"customer token unknown", "POST", "/rest/V1/integration/customer/token", `{"username":"a@b.c","password":"x"}`, []string{js}},
	}
	if len(tests) < 50 {
		t.Fatalf("only %d malformed requests, want at least 50", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(tt.method, tt.path, tt.body, tt.headers...)
			if r.status < 400 || r.status > 499 {
				t.Errorf("%s %s = %d %.200s, want a 4xx", tt.method, tt.path, r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s %s: Content-Type %q, want JSON", tt.method, tt.path, ct)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(r.body), &body); err != nil {
				t.Fatalf("%s %s: body %.200q is not a JSON object: %v", tt.method, tt.path, r.body, err)
			}
			if m, ok := body["message"].(string); !ok || m == "" {
				t.Errorf("%s %s: body %.200s has no message", tt.method, tt.path, r.body)
			}
		})
	}
	for _, e := range h.emu.Journal() {
		if e.Status >= 500 || e.Outcome == "error" {
			t.Errorf("journal holds an internal error: %+v", e)
		}
	}
	// Nothing malformed was saved.
	list, err := h.emu.Service().List(t.Context())
	if err != nil || len(list) != 1 {
		t.Errorf("integrations after the malformed requests: %d, %v; want only ERP", len(list), err)
	}
}

// FuzzControlBody sends arbitrary bodies to the control routes that read
// one: the answer is never a 5xx.
func FuzzControlBody(f *testing.F) {
	for _, s := range []string{
		`{"integration":{"name":"ERP"}}`, `{"integration":{"name":"A","credentials":{}}}`, `{"config":{"a/b/c":1}}`,
		`{"integration":{"all_resources":"1","resources":[]}}`, `[]`, `{`, `{"fixture":{"method":"GET","url":"/V1/products","body":{}}}`,
		`{"current_password":null,"integration":{"name":"B","email":"b@example.com","endpoint":"http://127.0.0.1:1/"}}`,
	} {
		f.Add(s)
	}
	h := newEmuHarness(f, nil)
	token := h.adminToken()
	if _, err := h.emu.Service().Create(f.Context(), integration.Integration{Name: "ERP"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, route := range [...]struct{ method, path string }{
			{"POST", "/rest/V1/integrations"}, {"PUT", "/rest/V1/integrations/1"},
			{"PUT", "/rest/V1/emulator/config"}, {"PUT", "/rest/V1/emulator/fixtures"},
		} {
			req, err := http.NewRequest(route.method, h.srv.URL+route.path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := h.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s with %q = %d", route.method, route.path, body, resp.StatusCode)
			}
		}
	})
}
