package webapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi"
	"github.com/magekit/magekit/webapi/route"
)

// resourcesOf returns the refs of a route of the default table.
func resourcesOf(t *testing.T, method, url string) string {
	t.Helper()
	for _, r := range route.Default() {
		if r.Method == method && r.URL == url {
			return strings.Join(r.Resources, ", ")
		}
	}
	t.Fatalf("no route %s %s", method, url)
	return ""
}

func TestGuest(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do("GET", "/rest/V1/products", "")
	if want := denied("Magento_Catalog::products"); resp.status != 401 || resp.body != want {
		t.Errorf("guest GET /V1/products = %d %s, want 401 %s", resp.status, resp.body, want)
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	ev := e.lastEvent()
	if ev.Outcome != webapi.OutcomeDenied || ev.Caller.Type != user.Guest || ev.Status != 401 {
		t.Errorf("event = %+v", ev)
	}
	// A self route denies a guest by "self".
	if resp := e.do("GET", "/rest/V1/customers/me", ""); resp.status != 401 || resp.body != denied("self") {
		t.Errorf("guest GET /V1/customers/me = %d %s", resp.status, resp.body)
	}
}

// TestAllowInsecure walks the 31 routes of "Allow Anonymous Guest Access"
// with the setting off and on.
func TestAllowInsecure(t *testing.T) {
	e := newEnv(t, nil)
	guests := route.Guests()
	if len(guests) != 31 {
		t.Fatalf("GuestRoutes() has %d routes, want 31", len(guests))
	}
	for _, on := range []bool{false, true} {
		value := map[bool]string{false: "0", true: "1"}[on]
		if err := e.settings.Set(map[string]string{settings.PathAllowInsecure: value}); err != nil {
			t.Fatal(err)
		}
		for _, g := range guests {
			// searchCriteria, which the list routes require (docs/magento-fidelity.md §2).
			resp := e.do(g.Method, "/rest/V1"+strings.TrimPrefix(fill(g.URL), "/V1")+"?searchCriteria=", "")
			want, status := denied(resourcesOf(t, g.Method, g.URL)), 401
			if on {
				want, status = noFixture(g.Method, g.URL), 200
			}
			if resp.status != status || resp.body != want {
				t.Errorf("allow_insecure=%s: guest %s %s = %d %s, want %d %s", value, g.Method, g.URL, resp.status, resp.body, status, want)
			}
		}
	}
	// Routes outside the list stay closed.
	if resp := e.do("GET", "/rest/V1/orders", ""); resp.status != 401 {
		t.Errorf("allow_insecure=1: guest GET /V1/orders = %d", resp.status)
	}
}

func TestAdminToken(t *testing.T) {
	e := newEnv(t, nil)
	token := e.adminToken()
	for _, h := range []string{"Bearer " + token, "bearer " + token, "BEARER " + token} {
		resp := e.do("GET", "/rest/V1/orders?searchCriteria=", "", "Authorization: "+h)
		if resp.status != 200 || resp.body != noFixture("GET", "/V1/orders") {
			t.Errorf("GET /V1/orders with %.10q… = %d %s", h, resp.status, resp.body)
		}
		if ev := e.lastEvent(); ev.Caller.Type != user.Admin || ev.Caller.ID != 1 || ev.Caller.Credential != webapi.CredentialAdminToken {
			t.Errorf("caller = %+v", ev.Caller)
		}
	}
	// Malformed Bearer headers fall through to the guest.
	for _, h := range []string{"Bearer  " + token, "Bearer " + token + " x", "Token " + token, "Bearer", "Bearer " + token[:len(token)-2]} {
		if resp := e.do("GET", "/rest/V1/orders?searchCriteria=", "", "Authorization: "+h); resp.status != 401 || resp.body != denied("Magento_Sales::actions_view") {
			t.Errorf("GET /V1/orders with %q = %d %s, want 401", h, resp.status, resp.body)
		}
	}
	// Expired tokens fall through to the guest.
	e.clock.Advance(60 * time.Minute)
	if resp := e.do("GET", "/rest/V1/orders?searchCriteria=", "", "Authorization: Bearer "+token); resp.status != 401 {
		t.Errorf("expired token: %d %s", resp.status, resp.body)
	}
	// Revoked tokens too; a later token works.
	token = e.adminToken()
	e.srv.RevokeTokens(user.Admin, 1)
	if resp := e.do("GET", "/rest/V1/orders?searchCriteria=", "", "Authorization: Bearer "+token); resp.status != 401 {
		t.Errorf("revoked token: %d %s", resp.status, resp.body)
	}
	e.clock.Advance(time.Second)
	token = e.adminToken()
	if resp := e.do("GET", "/rest/V1/orders?searchCriteria=", "", "Authorization: Bearer "+token); resp.status != 200 {
		t.Errorf("token after revocation: %d %s", resp.status, resp.body)
	}
}

func TestIntegrationBearer(t *testing.T) {
	e := newEnv(t, nil)
	e.integrationWith(1, false, "Magento_Catalog::products")
	h := "Authorization: Bearer " + creds(1).AccessToken
	if resp := e.do("GET", "/rest/V1/products?searchCriteria=", "", h); resp.status != 401 || resp.body != denied("Magento_Catalog::products") {
		t.Errorf("bearer off: %d %s", resp.status, resp.body)
	}
	if err := e.settings.Set(map[string]string{settings.PathIntegrationAsBearer: "1"}); err != nil {
		t.Fatal(err)
	}
	if resp := e.do("GET", "/rest/V1/products?searchCriteria=", "", h); resp.status != 200 {
		t.Errorf("bearer on: %d %s", resp.status, resp.body)
	}
	if ev := e.lastEvent(); ev.Caller.Type != user.Integration || ev.Caller.Credential != webapi.CredentialIntegrationBearer {
		t.Errorf("caller = %+v", ev.Caller)
	}
	if resp := e.do("GET", "/rest/V1/orders", "", h); resp.status != 401 || resp.body != denied("Magento_Sales::actions_view") {
		t.Errorf("bearer on, not granted: %d %s", resp.status, resp.body)
	}
	// The consumer key is not a token.
	if resp := e.do("GET", "/rest/V1/products", "", "Authorization: Bearer "+creds(1).ConsumerKey); resp.status != 401 {
		t.Errorf("consumer key as bearer: %d %s", resp.status, resp.body)
	}
}

func TestSignedRequests(t *testing.T) {
	e := newEnv(t, nil)
	all := e.integrationWith(1, true)
	e.integrationWith(2, false, "Magento_Catalog::products")
	for _, tc := range []struct {
		name      string
		n         int
		method    string
		path, url string
		status    int
		body      string
	}{
		{"all: orders", 1, "GET", "/rest/V1/orders?searchCriteria[pageSize]=20", "/V1/orders", 200, noFixture("GET", "/V1/orders")},
		// An integration passes "self" but has no customer id (docs/magento-fidelity.md §3).
		{"all: self", 1, "GET", "/rest/V1/carts/mine", "/V1/carts/mine", 400, required("customerId")},
		{"custom: products", 2, "GET", "/rest/V1/products?searchCriteria[pageSize]=20", "/V1/products", 200, noFixture("GET", "/V1/products")},
		{"custom: orders", 2, "GET", "/rest/V1/orders", "/V1/orders", 401, denied("Magento_Sales::actions_view")},
		{"custom: store code", 2, "GET", "/rest/default/V1/products/24-MB01", "/V1/products/:sku", 200, noFixture("GET", "/V1/products/:sku")},
		{"custom: post", 2, "POST", "/rest/V1/products", "/V1/products", 200, noFixture("POST", "/V1/products")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := ""
			if tc.method == "POST" {
				body = `{"product":{"sku":"x"}}`
			}
			resp := e.signed(tc.n, tc.method, tc.path, body)
			if resp.status != tc.status || resp.body != tc.body {
				t.Errorf("%s %s = %d %s, want %d %s", tc.method, tc.path, resp.status, resp.body, tc.status, tc.body)
			}
			ev := e.lastEvent()
			if ev.Route != tc.url || ev.Caller.Type != user.Integration || ev.Caller.Credential != webapi.CredentialOAuth {
				t.Errorf("event = %+v", ev)
			}
		})
	}

	// An inactive integration signs correctly but is a guest.
	in, err := e.svc.Get(t.Context(), all.ID)
	if err != nil {
		t.Fatal(err)
	}
	in.Status = integration.StatusInactive
	if err := e.store.UpdateIntegration(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if resp := e.signed(1, "GET", "/rest/V1/orders", ""); resp.status != 401 || resp.body != denied("Magento_Sales::actions_view") {
		t.Errorf("inactive integration = %d %s", resp.status, resp.body)
	}
	if ev := e.lastEvent(); ev.Caller.Type != user.Guest {
		t.Errorf("inactive integration caller = %+v", ev.Caller)
	}
}

func TestSignatureFailures(t *testing.T) {
	e := newEnv(t, nil)
	e.integrationWith(1, true)
	c := creds(1)
	client := func(signer oauth1.Signer) *http.Client {
		cfg := &oauth1.Config{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret, Signer: signer}
		return cfg.Client(t.Context(), oauth1.NewToken(c.AccessToken, c.AccessTokenSecret))
	}
	for _, tc := range []struct {
		name   string
		client *http.Client
		status int
		body   string
	}{
		{"wrong secret", client(&oauth1.HMAC256Signer{ConsumerSecret: strings.Repeat("0", 32)}), 401,
			`{"message":"The signature is invalid. Verify and try again."}`},
		{"HMAC-SHA1", client(&oauth1.HMACSigner{ConsumerSecret: c.ConsumerSecret}), 400,
			`{"message":"Signature method %1 is not supported","parameters":["HMAC-SHA1"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", e.http.URL+"/rest/V1/orders", nil)
			resp := e.send(tc.client, req)
			if resp.status != tc.status || resp.body != tc.body {
				t.Errorf("GET /V1/orders = %d %s, want %d %s", resp.status, resp.body, tc.status, tc.body)
			}
			ev := e.lastEvent()
			if ev.Outcome != webapi.OutcomeAuthFailed || ev.Err == nil {
				t.Errorf("event = %+v", ev)
			}
			if wantBase := tc.status == 401; (ev.BaseString != "") != wantBase || wantBase && !strings.HasPrefix(ev.BaseString, "GET&http%3A%2F%2F") {
				t.Errorf("base string = %q", ev.BaseString)
			}
		})
	}

	// Missing parameters: the aggregate input error.
	resp := e.do("GET", "/rest/V1/orders", "", `Authorization: OAuth oauth_consumer_key="`+c.ConsumerKey+`"`)
	want := `{"message":"One or more input exceptions have occurred.","errors":[` +
		`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_signature"}},` +
		`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_signature_method"}},` +
		`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_nonce"}},` +
		`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_timestamp"}},` +
		`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_token"}}]}`
	if resp.status != 400 || resp.body != want {
		t.Errorf("partial OAuth header = %d %s, want 400 %s", resp.status, resp.body, want)
	}

	// Anonymous routes read no credential: a bad signature does not matter.
	req, _ := http.NewRequest("POST", e.http.URL+"/rest/V1/integration/admin/token", strings.NewReader(`{"username":"admin","password":"magento123"}`))
	req.Header.Set("Content-Type", "application/json")
	if resp := e.send(client(&oauth1.HMAC256Signer{ConsumerSecret: "wrong"}), req); resp.status != 200 {
		t.Errorf("anonymous route with a bad signature = %d %s", resp.status, resp.body)
	}
}

func TestCustomerToken(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.postJSON("/rest/V1/customers", `{"customer":{"email":"jane@example.com","firstname":"Jane","lastname":"Doe"},"password":"Secret-123"}`)
	if resp.status != 200 || !strings.HasPrefix(resp.body, `{"id":1,"group_id":1,"created_at":"`) {
		t.Fatalf("create customer = %d %s", resp.status, resp.body)
	}
	resp = e.postJSON("/rest/V1/integration/customer/token", `{"username":"JANE@example.com","password":"Secret-123"}`)
	if resp.status != 200 || !strings.HasPrefix(resp.body, `"ey`) {
		t.Fatalf("customer token = %d %s", resp.status, resp.body)
	}
	h := "Authorization: Bearer " + strings.Trim(resp.body, `"`)
	me := e.do("GET", "/rest/V1/customers/me", "", h)
	if me.status != 200 || !strings.Contains(me.body, `"email":"jane@example.com","firstname":"Jane","lastname":"Doe","store_id":1,"website_id":1`) {
		t.Errorf("GET /V1/customers/me = %d %s", me.status, me.body)
	}
	if ev := e.lastEvent(); ev.Caller.Type != user.Customer || ev.Caller.ID != 1 || ev.Outcome != webapi.OutcomeHandler {
		t.Errorf("event = %+v", ev)
	}
	// The service's answer is filtered like any other (FieldsFilter).
	if me := e.do("GET", "/rest/V1/customers/me?fields=lastname,email", "", h); me.status != 200 || me.body != `{"email":"jane@example.com","lastname":"Doe"}` {
		t.Errorf("GET /V1/customers/me?fields=lastname,email = %d %s", me.status, me.body)
	}
	// A customer has no role beyond self.
	if resp := e.do("GET", "/rest/V1/products", "", h); resp.status != 401 {
		t.Errorf("customer GET /V1/products = %d", resp.status)
	}
	// An admin passes "self" by its role but is no customer: the forced
	// customerId is null (docs/magento-fidelity.md §3).
	admin := e.do("GET", "/rest/V1/customers/me", "", "Authorization: Bearer "+e.adminToken())
	if want := required("customerId"); admin.status != 400 || admin.body != want {
		t.Errorf("admin GET /V1/customers/me = %d %s", admin.status, admin.body)
	}
}

func TestHTTPSOnly(t *testing.T) {
	e := newEnv(t, nil)
	h := "Authorization: Bearer " + e.adminToken()
	if resp := e.do("GET", "/rest/V1/analytics/link", "", h); resp.status != 400 || resp.body != `{"message":"Operation allowed only in HTTPS"}` {
		t.Errorf("secure route over http = %d %s", resp.status, resp.body)
	}
	if resp := e.do("GET", "/rest/V1/analytics/link", "", h, "X-Forwarded-Proto: https"); resp.status != 200 {
		t.Errorf("secure route behind an offloader = %d %s", resp.status, resp.body)
	}
	// The ACL comes first.
	if resp := e.do("GET", "/rest/V1/analytics/link", ""); resp.status != 401 {
		t.Errorf("secure route as a guest = %d %s", resp.status, resp.body)
	}
}
