package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/settings"
)

// Fixed credentials of the control tests, 32 characters of [0-9a-z].
var emuCreds = integration.Credentials{
	ConsumerKey:       "ck000000000000000000000000000001",
	ConsumerSecret:    "cs000000000000000000000000000001",
	AccessToken:       "at000000000000000000000000000001",
	AccessTokenSecret: "as000000000000000000000000000001",
}

const emuCredsJSON = `{"consumer_key":"ck000000000000000000000000000001","consumer_secret":"cs000000000000000000000000000001",` +
	`"access_token":"at000000000000000000000000000001","access_token_secret":"as000000000000000000000000000001"}`

// emuDoc is the answer for an integration whose fields are the defaults
// but for those given as a JSON fragment ("name":"ERP",...).
func emuDoc(id int, fields string) string {
	base := map[string]any{
		"id": id, "name": "ERP", "email": "", "endpoint": "", "identity_link_url": "", "status": 0, "setup_type": 0,
		"all_resources": false, "resources": []any{}, "consumer_id": id, "created_at": "<time>", "updated_at": "<time>",
	}
	if fields != "" {
		var over map[string]any
		if err := json.Unmarshal([]byte("{"+fields+"}"), &over); err != nil {
			panic(err)
		}
		for k, v := range over {
			base[k] = v
		}
	}
	b, _ := json.Marshal(base)
	return string(b)
}

// TestControlRoutes drives every control route through its answers: each
// case gets a fresh Emulator, runs its setup, sends one request and checks
// the status and the whole JSON answer.
func TestControlRoutes(t *testing.T) {
	// The setups run inside each case's subtest: they fail and take their
	// context from the harness's testing.TB, the subtest's.
	create := func(in integration.Integration) func(*emuHarness) {
		return func(h *emuHarness) {
			if _, err := h.emu.Service().Create(h.t.Context(), in); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	createActive := func(in integration.Integration) func(*emuHarness) {
		return func(h *emuHarness) {
			if _, err := h.emu.Service().CreateWithCredentials(h.t.Context(), in, emuCreds); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	erp := integration.Integration{Name: "ERP"}
	unreachable := integration.Integration{Name: "ERP", Endpoint: "http://127.0.0.1:1/endpoint", IdentityLinkURL: "https://app.example/link"}
	configured := integration.Integration{Name: "ERP", SetupType: integration.SetupConfig}

	tests := []struct {
		name       string
		config     func(*emulator.Config)
		setup      func(*emuHarness)
		auth       string // "admin" (default), "none", "integration", "customer"
		method     string
		path       string
		body       string
		wantStatus int
		want       string // the answer, normalised by emuNormalise
	}{
		// POST /V1/integrations
		{name: "create", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","email":"erp@example.com","endpoint":"https://app.example/endpoint","resources":["Magento_Catalog::products"]}}`,
			wantStatus: 200, want: emuDoc(1, `"email":"erp@example.com","endpoint":"https://app.example/endpoint","resources":["Magento_Catalog::products"]`)},
		{name: "create all resources", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","all_resources":true,"resources":["Magento_Catalog::products"]}}`,
			wantStatus: 200, want: emuDoc(1, `"all_resources":true`)},
		{name: "create under a store code", method: "POST", path: "/rest/default/V1/integrations",
			body: `{"integration":{"name":"ERP"}}`, wantStatus: 200, want: emuDoc(1, "")},
		{name: "create with credentials", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","all_resources":true,"credentials":` + emuCredsJSON + `}}`,
			wantStatus: 200, want: emuDoc(1, `"status":1,"all_resources":true`)},
		{name: "create with invalid credentials", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","credentials":{"consumer_key":"short","consumer_secret":"cs000000000000000000000000000001","access_token":"at000000000000000000000000000001","access_token_secret":"as000000000000000000000000000001"}}}`,
			wantStatus: 400, want: `{"message":"\"%fieldName\" must be 32 characters of [0-9a-z].","parameters":{"fieldName":"consumer_key"}}`},
		{name: "create with credentials missing", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","credentials":{"consumer_key":"ck000000000000000000000000000001","consumer_secret":"cs000000000000000000000000000001","access_token":"at000000000000000000000000000001"}}}`,
			wantStatus: 400, want: `{"message":"\"%fieldName\" must be 32 characters of [0-9a-z].","parameters":{"fieldName":"access_token_secret"}}`},
		{name: "create with credentials taken", setup: createActive(integration.Integration{Name: "Other"}),
			method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","credentials":` + emuCredsJSON + `}}`,
			wantStatus: 400, want: `{"message":"The consumer key, consumer secret or access token is already used by another integration."}`},
		{name: "create duplicate name", setup: create(erp), method: "POST", path: "/rest/V1/integrations",
			body: `{"integration":{"name":"ERP"}}`, wantStatus: 400, want: `{"message":"The integration with name \"%1\" exists.","parameters":["ERP"]}`},
		{name: "create without integration", method: "POST", path: "/rest/V1/integrations", body: `{}`,
			wantStatus: 400, want: `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"integration"}}`},
		{name: "create without body", method: "POST", path: "/rest/V1/integrations",
			wantStatus: 400, want: `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"integration"}}`},
		{name: "create without name", method: "POST", path: "/rest/V1/integrations", body: `{"integration":{"email":"erp@example.com"}}`,
			wantStatus: 400, want: `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"name"}}`},
		{name: "create with a bad identity link", method: "POST", path: "/rest/V1/integrations",
			body: `{"integration":{"name":"ERP","identity_link_url":"app.example/link"}}`, wantStatus: 400, want: `{"message":"Invalid Identity Link URL"}`},
		{name: "create with several faults", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","endpoint":"ftp://app.example","identity_link_url":"nope"}}`,
			wantStatus: 400, want: `{"message":"One or more input exceptions have occurred.","errors":[{"message":"Invalid Callback URL","parameters":[]},{"message":"Invalid Identity Link URL","parameters":[]}]}`},
		{name: "create with an unknown resource", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","resources":["Acme::nothing"]}}`,
			wantStatus: 400, want: `{"message":"The resource \"%1\" is not defined in the ACL tree.","parameters":["Acme::nothing"]}`},
		{name: "create with a wrong type", method: "POST", path: "/rest/V1/integrations",
			body:       `{"integration":{"name":"ERP","all_resources":"yes"}}`,
			wantStatus: 400, want: `{"message":"The \"yes\" value's type is invalid. The \"bool\" type was expected. Verify and try again."}`},
		{name: "create with the right password", method: "POST", path: "/rest/V1/integrations",
			body: `{"current_password":"magento123","integration":{"name":"ERP"}}`, wantStatus: 200, want: emuDoc(1, "")},
		{name: "create with a wrong password", method: "POST", path: "/rest/V1/integrations",
			body:       `{"current_password":"magento124","integration":{"name":"ERP"}}`,
			wantStatus: 401, want: `{"message":"The password entered for the current user is invalid. Verify the password and try again."}`},
		{name: "create without the required password", config: func(c *emulator.Config) { c.RequirePassword = true },
			method: "POST", path: "/rest/V1/integrations", body: `{"integration":{"name":"ERP"}}`,
			wantStatus: 401, want: `{"message":"The password entered for the current user is invalid. Verify the password and try again."}`},
		{name: "create with the required password", config: func(c *emulator.Config) { c.RequirePassword = true },
			method: "POST", path: "/rest/V1/integrations", body: `{"current_password":"magento123","integration":{"name":"ERP"}}`,
			wantStatus: 200, want: emuDoc(1, "")},
		{name: "create as a guest", auth: "none", method: "POST", path: "/rest/V1/integrations", body: `{"integration":{"name":"ERP"}}`,
			wantStatus: 401, want: `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Integration::integrations"}}`},
		{name: "create as an integration", auth: "integration", method: "POST", path: "/rest/V1/integrations", body: `{"integration":{"name":"ERP"}}`,
			wantStatus: 401, want: `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Integration::integrations"}}`},
		{name: "create as a customer", auth: "customer", method: "POST", path: "/rest/V1/integrations", body: `{"integration":{"name":"ERP"}}`,
			wantStatus: 401, want: `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Integration::integrations"}}`},

		// GET /V1/integrations
		{name: "list", setup: func(h *emuHarness) {
			create(erp)(h)
			create(integration.Integration{Name: "PIM", AllResources: true})(h)
		},
			method: "GET", path: "/rest/V1/integrations", wantStatus: 200,
			want: "[" + emuDoc(1, "") + "," + emuDoc(2, `"name":"PIM","all_resources":true`) + "]"},
		{name: "list empty", method: "GET", path: "/rest/V1/integrations", wantStatus: 200, want: `[]`},
		{name: "list as an integration", auth: "integration", method: "GET", path: "/rest/V1/integrations",
			wantStatus: 401, want: `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Integration::integrations"}}`},

		// GET /V1/integrations/:id
		{name: "get", setup: create(erp), method: "GET", path: "/rest/V1/integrations/1", wantStatus: 200, want: emuDoc(1, "")},
		{name: "get missing", method: "GET", path: "/rest/V1/integrations/7", wantStatus: 404,
			want: `{"message":"The integration with ID \"%1\" doesn't exist.","parameters":["7"]}`},
		{name: "get non-numeric", method: "GET", path: "/rest/V1/integrations/erp", wantStatus: 400,
			want: `{"message":"The \"erp\" value's type is invalid. The \"int\" type was expected. Verify and try again."}`},

		// PUT /V1/integrations/:id
		{name: "update merges", setup: create(integration.Integration{Name: "ERP", Email: "erp@example.com"}),
			method: "PUT", path: "/rest/V1/integrations/1", body: `{"integration":{"name":"ERP 2","all_resources":true}}`,
			wantStatus: 200, want: emuDoc(1, `"name":"ERP 2","email":"erp@example.com","all_resources":true`)},
		{name: "update missing", method: "PUT", path: "/rest/V1/integrations/7", body: `{"integration":{"name":"ERP"}}`,
			wantStatus: 404, want: `{"message":"The integration with ID \"%1\" doesn't exist.","parameters":["7"]}`},
		{name: "update config-file integration", setup: create(configured),
			method: "PUT", path: "/rest/V1/integrations/1", body: `{"current_password":"wrong","integration":{"name":"ERP"}}`,
			wantStatus: 400, want: `{"message":"The integrations created in the config file can't be edited."}`},
		{name: "update with credentials", setup: create(erp),
			method: "PUT", path: "/rest/V1/integrations/1", body: `{"integration":{"credentials":` + emuCredsJSON + `}}`,
			wantStatus: 400, want: `{"message":"Credentials can be given only when an integration is created."}`},
		{name: "update with a wrong password", setup: create(erp),
			method: "PUT", path: "/rest/V1/integrations/1", body: `{"current_password":"x","integration":{"name":"ERP 2"}}`,
			wantStatus: 401, want: `{"message":"The password entered for the current user is invalid. Verify the password and try again."}`},
		{name: "update to a taken name", setup: func(h *emuHarness) { create(erp)(h); create(integration.Integration{Name: "PIM"})(h) },
			method: "PUT", path: "/rest/V1/integrations/2", body: `{"integration":{"name":"ERP"}}`,
			wantStatus: 400, want: `{"message":"The integration with name \"%1\" exists.","parameters":["ERP"]}`},
		{name: "update without integration", setup: create(erp), method: "PUT", path: "/rest/V1/integrations/1", body: `{"current_password":"magento123"}`,
			wantStatus: 400, want: `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"integration"}}`},

		// DELETE /V1/integrations/:id
		{name: "delete", setup: create(erp), method: "DELETE", path: "/rest/V1/integrations/1", wantStatus: 200, want: `true`},
		{name: "delete missing", method: "DELETE", path: "/rest/V1/integrations/7", wantStatus: 404,
			want: `{"message":"The integration with ID \"%1\" doesn't exist.","parameters":["7"]}`},
		{name: "delete id 0", method: "DELETE", path: "/rest/V1/integrations/0", wantStatus: 400,
			want: `{"message":"Integration ID is not specified or is invalid."}`},
		{name: "delete config-file integration", setup: create(configured), method: "DELETE", path: "/rest/V1/integrations/1",
			wantStatus: 400, want: `{"message":"Uninstall the extension to remove integration '%1'.","parameters":["ERP"]}`},

		// POST /V1/integrations/:id/activate and reauthorize
		{name: "activate direct", setup: create(erp), method: "POST", path: "/rest/V1/integrations/1/activate", wantStatus: 200,
			want: `{"consumer_key":"<credential>","consumer_secret":"<credential>","access_token":"<credential>","access_token_secret":"<credential>"}`},
		{name: "activate missing", method: "POST", path: "/rest/V1/integrations/7/activate", wantStatus: 404,
			want: `{"message":"The integration with ID \"%1\" doesn't exist.","parameters":["7"]}`},
		{name: "activate unreachable endpoint", setup: create(unreachable), method: "POST", path: "/rest/V1/integrations/1/activate", wantStatus: 400,
			want: `{"message":"The attempt to post data to consumer failed due to an unexpected error. Please try again later."}`},
		{name: "reauthorize direct", setup: createActive(erp), method: "POST", path: "/rest/V1/integrations/1/reauthorize", wantStatus: 200,
			want: `{"consumer_key":"<credential>","consumer_secret":"<credential>","access_token":"<credential>","access_token_secret":"<credential>"}`},
		{name: "reauthorize missing", method: "POST", path: "/rest/V1/integrations/7/reauthorize", wantStatus: 404,
			want: `{"message":"The integration with ID \"%1\" doesn't exist.","parameters":["7"]}`},

		// GET /V1/integrations/:id/tokens
		{name: "tokens", setup: createActive(erp), method: "GET", path: "/rest/V1/integrations/1/tokens", wantStatus: 200, want: emuCredsJSON},
		{name: "tokens before activation", setup: create(erp), method: "GET", path: "/rest/V1/integrations/1/tokens", wantStatus: 404,
			want: `{"message":"The integration with ID \"%1\" has no access token.","parameters":["1"]}`},
		{name: "tokens missing", method: "GET", path: "/rest/V1/integrations/7/tokens", wantStatus: 404,
			want: `{"message":"The integration with ID \"%1\" doesn't exist.","parameters":["7"]}`},

		// GET and PUT /V1/emulator/config
		{name: "config set", config: func(c *emulator.Config) { c.FreeConfig = true }, method: "PUT", path: "/rest/V1/emulator/config",
			body:       `{"config":{"oauth/consumer/enable_integration_as_bearer":true,"oauth/consumer/post_timeout":2,"acme/custom/path":"x"}}`,
			wantStatus: 200, want: emuConfig(`"oauth/consumer/enable_integration_as_bearer":"1","oauth/consumer/post_timeout":"2","acme/custom/path":"x"`)},
		{name: "config unknown path", method: "PUT", path: "/rest/V1/emulator/config",
			body: `{"config":{"oauth/consumer/expiration_perod":"5"}}`, wantStatus: 400,
			want: `{"message":"The config path \"%1\" is not one the emulator knows; start it with -free-config to allow any path.","parameters":["oauth\/consumer\/expiration_perod"]}`},
		{name: "config unknown field", method: "PUT", path: "/rest/V1/emulator/config",
			body: `{"config":{},"confg":{}}`, wantStatus: 400,
			want: `{"message":"The field \"%1\" is unknown.","parameters":["confg"]}`},
		{name: "integration unknown field", method: "POST", path: "/rest/V1/integrations",
			body: `{"integration":{"name":"X","all_resource":true}}`, wantStatus: 400,
			want: `{"message":"The field \"%1\" is unknown.","parameters":["integration.all_resource"]}`},
		{name: "config get", method: "GET", path: "/rest/V1/emulator/config", wantStatus: 200, want: emuConfig("")},
		{name: "config invalid value", method: "PUT", path: "/rest/V1/emulator/config",
			body:       `{"config":{"webapi/webapisecurity/allow_insecure":"yes","oauth/consumer/post_timeout":"3"}}`,
			wantStatus: 400, want: `{"message":"The value \"%1\" is not valid for \"%2\": %3 expected.","parameters":["yes","webapi/webapisecurity/allow_insecure","0 or 1"]}`},
		{name: "config without config", method: "PUT", path: "/rest/V1/emulator/config", body: `{"values":{}}`,
			wantStatus: 400, want: `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"config"}}`},

		// PUT /V1/emulator/fixtures
		{name: "fixture", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body:       `{"fixture":{"method":"get","url":"/V1/products/:sku","status":201,"body":{"sku":"24-MB01"}}}`,
			wantStatus: 200, want: `{"id":"f1","method":"GET","url":"/V1/products/:sku","status":201,"body":{"sku":"24-MB01"}}`},
		{name: "fixture default status and no body", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body: `{"fixture":{"method":"DELETE","url":"/V1/products/:sku"}}`, wantStatus: 200, want: `{"id":"f1","method":"DELETE","url":"/V1/products/:sku","status":200}`},
		{name: "fixture with an unknown field", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body: `{"fixture":{"method":"GET","url":"/V1/products","staus":404}}`, wantStatus: 400,
			want: `{"message":"The fixture field \"%1\" is unknown.","parameters":["staus"]}`},
		{name: "fixture on the admin token service", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body: `{"fixture":{"method":"POST","url":"/V1/integration/admin/token","body":"forged"}}`, wantStatus: 400,
			want: `{"message":"The route %1 %2 is answered by the emulator itself and takes no fixture.","parameters":["POST","/V1/integration/admin/token"]}`},
		{name: "fixture on customer sign-up", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body: `{"fixture":{"method":"POST","url":"/V1/customers"}}`, wantStatus: 400,
			want: `{"message":"The route %1 %2 is answered by the emulator itself and takes no fixture.","parameters":["POST","/V1/customers"]}`},
		{name: "fixture unknown route", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body:       `{"fixture":{"method":"GET","url":"/V1/nothing"}}`,
			wantStatus: 400, want: `{"message":"The route %1 %2 is not in the route table.","parameters":["GET","/V1/nothing"]}`},
		{name: "fixture on a control route", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body:       `{"fixture":{"method":"get","url":"/V1/integrations"}}`,
			wantStatus: 400, want: `{"message":"The route %1 %2 is a control route of the emulator and takes no fixture.","parameters":["GET","/V1/integrations"]}`},
		{name: "fixture bad status", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body:       `{"fixture":{"method":"GET","url":"/V1/products","status":42}}`,
			wantStatus: 400, want: `{"message":"The fixture status %1 is not an HTTP status from 200 to 599.","parameters":["42"]}`},
		{name: "fixture informational status", method: "PUT", path: "/rest/V1/emulator/fixtures",
			body:       `{"fixture":{"method":"GET","url":"/V1/products","status":101}}`,
			wantStatus: 400, want: `{"message":"The fixture status %1 is not an HTTP status from 200 to 599.","parameters":["101"]}`},
		{name: "fixture without method and url", method: "PUT", path: "/rest/V1/emulator/fixtures", body: `{"fixture":{"status":200}}`,
			wantStatus: 400, want: `{"message":"One or more input exceptions have occurred.","errors":[` +
				`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"method"}},` +
				`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"url"}}]}`},

		// GET /V1/emulator/journal and POST /V1/emulator/reset
		{name: "journal", config: func(c *emulator.Config) { c.NoJournalBodies = true }, method: "GET", path: "/rest/V1/emulator/journal", wantStatus: 200,
			want: `[{"id":1,"time":"<time>","method":"POST","path":"/rest/V1/integration/admin/token","query":"","route":"/V1/integration/admin/token","who":"guest","outcome":"handler","status":200}]`},
		{name: "journal as a guest", auth: "none", method: "GET", path: "/rest/V1/emulator/journal",
			wantStatus: 401, want: `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Integration::integrations"}}`},
		{name: "reset", setup: create(erp), method: "POST", path: "/rest/V1/emulator/reset", wantStatus: 200, want: `true`},
		{name: "reset as an integration", auth: "integration", method: "POST", path: "/rest/V1/emulator/reset",
			wantStatus: 401, want: `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Integration::integrations"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newEmuHarness(t, tt.config)
			if tt.setup != nil {
				tt.setup(h)
			}
			headers := []string{"Content-Type: application/json"}
			switch tt.auth {
			case "", "admin":
				headers = append(headers, "Authorization: Bearer "+h.adminToken())
			case "integration":
				// An integration granted everything, Magento_Integration::integrations included.
				createActive(integration.Integration{Name: "Bearer", AllResources: true})(h)
				if err := h.emu.Settings().Set(map[string]string{settings.PathIntegrationAsBearer: "1"}); err != nil {
					t.Fatal(err)
				}
				headers = append(headers, "Authorization: Bearer "+emuCreds.AccessToken)
			case "customer":
				headers = append(headers, "Authorization: Bearer "+emuCustomerToken(t, h))
			}
			r := h.do(tt.method, tt.path, tt.body, headers...)
			if r.status != tt.wantStatus {
				t.Errorf("%s %s = %d %s, want %d", tt.method, tt.path, r.status, r.body, tt.wantStatus)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want JSON", ct)
			}
			if diff := cmp.Diff(emuNormalise(t, tt.want), emuNormalise(t, r.body)); diff != "" {
				t.Errorf("%s %s answer (-want +got):\n%s", tt.method, tt.path, diff)
			}
		})
	}
}

// emuConfig is the config map with Magento's defaults, changed by the
// given JSON fragment, as the config routes answer it.
func emuConfig(fields string) string {
	m := settings.New().All()
	if fields != "" {
		var over map[string]string
		if err := json.Unmarshal([]byte("{"+fields+"}"), &over); err != nil {
			panic(err)
		}
		for k, v := range over {
			m[k] = v
		}
	}
	b, _ := json.Marshal(map[string]any{"config": m})
	return string(b)
}

// emuCustomerToken signs a customer up and returns a customer token.
func emuCustomerToken(t *testing.T, h *emuHarness) string {
	t.Helper()
	r := h.do("POST", "/rest/V1/customers", `{"customer":{"email":"jane@example.com","firstname":"Jane","lastname":"Doe"},"password":"Secret-123"}`,
		"Content-Type: application/json")
	if r.status != http.StatusOK {
		t.Fatalf("sign-up: %d %s", r.status, r.body)
	}
	r = h.do("POST", "/rest/V1/integration/customer/token", `{"username":"jane@example.com","password":"Secret-123"}`, "Content-Type: application/json")
	var tok string
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &tok) != nil {
		t.Fatalf("customer token: %d %s", r.status, r.body)
	}
	return tok
}

// TestControlActivateExchange activates an integration with an endpoint
// and an identity link: the credential POST carries Magento's fields, the
// answer is the identity link with oauth_consumer_key and
// success_call_back appended, and the status stays 0.
func TestControlActivateExchange(t *testing.T) {
	h := newEmuHarness(t, nil)
	ep := newEmuEndpoint(t)
	body := `{"integration":{"name":"ERP","all_resources":true,"endpoint":"` + ep.srv.URL + `/cb","identity_link_url":"https://app.example/link"}}`
	var created struct{ ID int64 }
	h.adminOK("POST", "/rest/V1/integrations", body, &created)

	for _, step := range []string{"activate", "reauthorize"} {
		var ans map[string]string
		h.adminOK("POST", "/rest/V1/integrations/1/"+step, "", &ans)
		post := ep.last(t)
		key := post["oauth_consumer_key"]
		wantLink := "https://app.example/link?oauth_consumer_key=" + key +
			"&success_call_back=" + url.QueryEscape(h.emu.BaseURL()+emulator.SuccessCallbackPath)
		if diff := cmp.Diff(map[string]string{"oauth_consumer_key": key, "identity_link_url": wantLink}, ans); diff != "" {
			t.Errorf("%s answer (-want +got):\n%s", step, diff)
		}
		if post["store_base_url"] != h.emu.BaseURL() || post["content_type"] != "application/x-www-form-urlencoded" ||
			!emuCredentialRE.MatchString(post["oauth_consumer_secret"]) || !emuCredentialRE.MatchString(post["oauth_verifier"]) {
			t.Errorf("%s: credential POST = %v", step, post)
		}
		var doc struct{ Status int }
		h.adminOK("GET", "/rest/V1/integrations/1", "", &doc)
		if doc.Status != 0 {
			t.Errorf("after %s: status %d, want 0 until the third party completes the exchange", step, doc.Status)
		}
	}
	r := h.admin("GET", "/rest/V1/integrations/1/tokens", "")
	if r.status != http.StatusNotFound {
		t.Errorf("tokens before the exchange = %d %s, want 404", r.status, r.body)
	}
}

// TestControlReauthorizeKeepsConsumer checks that a direct
// reauthorization issues a new access token under the same consumer.
func TestControlReauthorizeKeepsConsumer(t *testing.T) {
	h := newEmuHarness(t, nil)
	h.adminOK("POST", "/rest/V1/integrations", `{"integration":{"name":"ERP"}}`, nil)
	var first, second, tokens map[string]string
	h.adminOK("POST", "/rest/V1/integrations/1/activate", "", &first)
	h.adminOK("POST", "/rest/V1/integrations/1/reauthorize", "", &second)
	h.adminOK("GET", "/rest/V1/integrations/1/tokens", "", &tokens)
	if first["consumer_key"] != second["consumer_key"] || first["consumer_secret"] != second["consumer_secret"] {
		t.Errorf("reauthorize changed the consumer: %v then %v", first, second)
	}
	if first["access_token"] == second["access_token"] {
		t.Errorf("reauthorize kept the access token %q", first["access_token"])
	}
	if diff := cmp.Diff(second, tokens); diff != "" {
		t.Errorf("tokens after reauthorize (-reauthorize +tokens):\n%s", diff)
	}
}

// TestControlReset checks that a reset forgets integrations, customers,
// fixtures, config and the journal, keeps the admin and its token, and is
// not itself journaled.
func TestControlReset(t *testing.T) {
	h := newEmuHarness(t, nil)
	h.adminOK("POST", "/rest/V1/integrations", `{"integration":{"name":"ERP"}}`, nil)
	h.adminOK("PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET","url":"/V1/products","body":[]}}`, nil)
	h.adminOK("PUT", "/rest/V1/emulator/config", `{"config":{"webapi/webapisecurity/allow_insecure":"1"}}`, nil)
	emuCustomerToken(t, h)
	if r := h.do("GET", "/rest/V1/products?searchCriteria=", ""); r.status != http.StatusOK || r.body != "[]" {
		t.Fatalf("guest GET /V1/products before reset = %d %s, want the fixture", r.status, r.body)
	}
	h.adminOK("POST", "/rest/V1/emulator/reset", "", nil)

	var list []any
	h.adminOK("GET", "/rest/V1/integrations", "", &list)
	if len(list) != 0 {
		t.Errorf("integrations after reset = %v, want none", list)
	}
	var cfg struct{ Config map[string]string }
	h.adminOK("GET", "/rest/V1/emulator/config", "", &cfg)
	if diff := cmp.Diff(settings.New().All(), cfg.Config); diff != "" {
		t.Errorf("config after reset (-defaults +got):\n%s", diff)
	}
	if _, err := h.emu.Server().Fixture("GET", "/V1/products"); err == nil {
		t.Error("the fixture survived the reset")
	}
	if r := h.do("POST", "/rest/V1/integration/customer/token", `{"username":"jane@example.com","password":"Secret-123"}`,
		"Content-Type: application/json"); r.status != http.StatusUnauthorized {
		t.Errorf("customer token after reset = %d %s, want 401", r.status, r.body)
	}
	j := h.emu.Journal()
	if len(j) != 3 {
		t.Fatalf("journal after reset has %d entries, want the 3 calls made since: %+v", len(j), j)
	}
	for _, e := range j {
		if e.Route == "/V1/emulator/reset" {
			t.Errorf("the reset is in the journal: %+v", e)
		}
	}
	// A new integration after a reset starts a clean store.
	h.adminOK("POST", "/rest/V1/integrations", `{"integration":{"name":"ERP"}}`, nil)
}

// TestSuccessCallback checks the success_call_back page: HTML that closes
// its window after 1000 ms, journaled; other methods are not it.
func TestSuccessCallback(t *testing.T) {
	h := newEmuHarness(t, nil)
	for _, p := range []string{"/" + emulator.SuccessCallbackPath, "/" + strings.TrimSuffix(emulator.SuccessCallbackPath, "/")} {
		r := h.do("GET", p, "")
		if r.status != http.StatusOK || !strings.Contains(r.body, "window.close()") || !strings.Contains(r.body, "1000") ||
			!strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s = %d %q %s", p, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
	if r := h.do("POST", "/"+emulator.SuccessCallbackPath, ""); r.status != http.StatusNotFound {
		t.Errorf("POST success callback = %d %s, want 404", r.status, r.body)
	}
	j := h.emu.Journal()
	if len(j) != 3 || j[0].Outcome != "success_callback" || j[0].Status != 200 || j[0].Who != "guest" || j[2].Outcome != "no_route" {
		t.Errorf("journal = %+v", j)
	}
}

// TestEmulatorBasePath serves a store whose base URL has a path: routes
// answer below it and at the root, and the credential POST announces it.
func TestEmulatorBasePath(t *testing.T) {
	var base string
	h := newEmuHarness(t, func(c *emulator.Config) {
		c.BaseURL = strings.TrimSuffix(c.BaseURL, "/") + "/magento"
		base = c.BaseURL + "/"
	})
	if h.emu.BaseURL() != base {
		t.Errorf("BaseURL() = %q, want %q", h.emu.BaseURL(), base)
	}
	for _, p := range []string{"/magento/rest/V1/integration/admin/token", "/rest/V1/integration/admin/token"} {
		r := h.do("POST", p, `{"username":"admin","password":"magento123"}`, "Content-Type: application/json")
		if r.status != http.StatusOK {
			t.Errorf("POST %s = %d %s", p, r.status, r.body)
		}
	}
	if r := h.do("GET", "/magento/"+emulator.SuccessCallbackPath, ""); r.status != http.StatusOK {
		t.Errorf("success callback below the base path = %d", r.status)
	}
}

// TestNewEmulatorErrors checks the config errors.
func TestNewEmulatorErrors(t *testing.T) {
	for _, base := range []string{"ftp://host/", "/relative/", "http://", "http://host/?q=1", "::"} {
		if _, err := emulator.New(t.Context(), emulator.Config{BaseURL: base}); err == nil {
			t.Errorf("New(BaseURL %q) succeeded, want an error", base)
		}
	}
}

// TestControlTokensExact checks the values GET /V1/integrations/:id/tokens
// answers (the table above normalises credentials away): exactly the
// credentials the integration was created with, each under its own name.
func TestControlTokensExact(t *testing.T) {
	h := newEmuHarness(t, nil)
	h.adminOK("POST", "/rest/V1/integrations", `{"integration":{"name":"ERP","all_resources":true,"credentials":`+emuCredsJSON+`}}`, nil)
	var got, want map[string]string
	h.adminOK("GET", "/rest/V1/integrations/1/tokens", "", &got)
	if err := json.Unmarshal([]byte(emuCredsJSON), &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
}

// TestConfigAdminSecurity checks that the Admin's security settings, which
// the Admin reads, are known to the config control route (no
// -free-config): set and listed, an invalid one refused, and unset again
// after a reset, so that the Admin's defaults apply.
func TestConfigAdminSecurity(t *testing.T) {
	h := newEmuHarness(t, nil)
	var doc struct {
		Config map[string]string `json:"config"`
	}
	h.adminOK("GET", "/rest/V1/emulator/config", "", &doc)
	if v, set := doc.Config["admin/security/lockout_failures"]; set {
		t.Fatalf("admin/security/lockout_failures starts as %q; want unset (the Admin's default applies)", v)
	}
	h.adminOK("PUT", "/rest/V1/emulator/config",
		`{"config":{"admin/security/session_lifetime":"1200","admin/security/lockout_failures":"3","admin/security/lockout_threshold":"5"}}`, &doc)
	for path, want := range map[string]string{"admin/security/session_lifetime": "1200", "admin/security/lockout_failures": "3", "admin/security/lockout_threshold": "5"} {
		if doc.Config[path] != want {
			t.Errorf("%s = %q, want %q", path, doc.Config[path], want)
		}
	}
	if r := h.admin("PUT", "/rest/V1/emulator/config", `{"config":{"admin/security/session_lifetime":"an hour"}}`); r.status != 400 ||
		!strings.Contains(r.body, "is not valid for") {
		t.Errorf("an invalid session lifetime = %d %s, want 400", r.status, r.body)
	}
	h.adminOK("POST", "/rest/V1/emulator/reset", "", nil)
	doc.Config = nil // Unmarshal adds to a map it is given
	h.adminOK("GET", "/rest/V1/emulator/config", "", &doc)
	if v, set := doc.Config["admin/security/session_lifetime"]; set {
		t.Errorf("after reset, admin/security/session_lifetime = %q; want unset", v)
	}
}
