package webapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/magekit/magekit/webapi"
	"github.com/magekit/magekit/webapi/route"
)

// Bodies of docs/magento-fidelity.md's answers.
const (
	cannotProcess = `{"message":"Specified request cannot be processed."}`
	aggregate     = `{"message":"One or more input exceptions have occurred.","errors":[`
)

// required is Magento's body for one missing service parameter, and an
// entry of an aggregate's "errors".
func required(field string) string {
	return `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"` + field + `"}}`
}

// TestStoreCodes checks docs/magento-fidelity.md §1: only a store view's
// code or "all" is taken from /rest/<segment>/V1; anything else stays in
// the path, which no request processor takes.
func TestStoreCodes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		codes  []string
		path   string
		status int
		body   string
	}{
		{"no code", nil, "/rest/V1/store/storeViews", 401, denied("Magento_Backend::store")},
		{"default, the fresh install's store view", nil, "/rest/default/V1/store/storeViews", 401, denied("Magento_Backend::store")},
		{"all", nil, "/rest/all/V1/store/storeViews", 401, denied("Magento_Backend::store")},
		{"admin store", nil, "/rest/admin/V1/store/storeViews", 400, cannotProcess},
		{"unknown code", nil, "/rest/bogus/V1/store/storeViews", 400, cannotProcess},
		{"codes are exact", nil, "/rest/Default/V1/store/storeViews", 400, cannotProcess},
		{"a code Magento could not create", nil, "/rest/1st/V1/store/storeViews", 400, cannotProcess},
		{"async processor", nil, "/rest/async/V1/products", 400, cannotProcess},
		{"schema processor", nil, "/rest/default/schema", 400, cannotProcess},
		{"configured store view", []string{"default", "fr_fr"}, "/rest/fr_fr/V1/store/storeViews", 401, denied("Magento_Backend::store")},
		{"store view not configured", []string{"default", "fr_fr"}, "/rest/en/V1/store/storeViews", 400, cannotProcess},
		{"default not configured", []string{"fr_fr"}, "/rest/default/V1/store/storeViews", 400, cannotProcess},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *webapi.Config) { c.StoreCodes = tc.codes })
			// A bad bearer changes nothing: the path is refused first.
			resp := e.do("GET", tc.path, "", "Authorization: Bearer nothing")
			if resp.status != tc.status || resp.body != tc.body {
				t.Errorf("GET %s = %d %s, want %d %s", tc.path, resp.status, resp.body, tc.status, tc.body)
			}
		})
	}
}

// TestStoreCodesRefused checks the codes New refuses.
func TestStoreCodesRefused(t *testing.T) {
	e := newEnv(t, nil)
	if got := e.srv.StoreCodes(); len(got) != 1 || got[0] != webapi.DefaultStoreCode {
		t.Errorf("StoreCodes() = %q, want [default]", got)
	}
	for _, code := range []string{"admin", "", "1st", "fr-fr", "en/gb", "é"} {
		cfg := webapi.Config{Store: e.store, Service: e.svc, Provider: e.provider, StoreCodes: []string{"default", code}}
		if _, err := webapi.New(cfg); err == nil {
			t.Errorf("New with store code %q succeeded", code)
		}
	}
	for _, code := range []string{"default", "FR", "b2b_store", "x1"} {
		if err := webapi.ValidStoreCode(code); err != nil {
			t.Errorf("ValidStoreCode(%q) = %v", code, err)
		}
	}
}

// TestRequiredParameters checks docs/magento-fidelity.md §2 over HTTP as
// the admin: a service parameter without a default must be set by the
// path, the query or the body, after the ACL and body checks and before
// any fixture.
func TestRequiredParameters(t *testing.T) {
	e := newEnv(t, nil)
	bearer := "Authorization: Bearer " + e.adminToken()
	ctJSON := "Content-Type: application/json"
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"list without searchCriteria", "GET", "/rest/V1/products", "", 400, required("searchCriteria")},
		{"orders", "GET", "/rest/V1/orders", "", 400, required("searchCriteria")},
		{"invoices under the store code", "GET", "/rest/default/V1/invoices", "", 400, required("searchCriteria")},
		{"customers search", "GET", "/rest/V1/customers/search", "", 400, required("searchCriteria")},
		{"empty searchCriteria is set", "GET", "/rest/V1/products?searchCriteria", "", 200, noFixture("GET", "/V1/products")},
		{"searchCriteria=", "GET", "/rest/V1/products?searchCriteria=", "", 200, noFixture("GET", "/V1/products")},
		{"bracketed searchCriteria", "GET", "/rest/V1/products?searchCriteria%5BpageSize%5D=10", "", 200, noFixture("GET", "/V1/products")},
		{"raw brackets", "GET", "/rest/V1/orders?searchCriteria[filter_groups][0][filters][0][field]=status", "", 200, noFixture("GET", "/V1/orders")},
		{"snake_case name", "GET", "/rest/V1/products?search_criteria[pageSize]=1", "", 200, noFixture("GET", "/V1/products")},
		{"other parameter only", "GET", "/rest/V1/products?fields=items", "", 400, required("searchCriteria")},
		{"prefix is not the name", "GET", "/rest/V1/products?searchCriteriaX=1", "", 400, required("searchCriteria")},
		{"a GET body is ignored", "GET", "/rest/V1/products", `{"searchCriteria":{}}`, 400, required("searchCriteria")},
		{"optional searchCriteria", "GET", "/rest/V1/inventory/sources", "", 200, noFixture("GET", "/V1/inventory/sources")},
		{"several missing, in the method's order", "GET", "/rest/V1/products-render-info", "", 400,
			aggregate + required("searchCriteria") + "," + required("storeId") + "," + required("currencyCode") + "]}"},
		{"some given", "GET", "/rest/V1/products-render-info?storeId=1&currencyCode=USD", "", 400, required("searchCriteria")},
		{"path variable", "GET", "/rest/V1/products/24-MB01", "", 200, noFixture("GET", "/V1/products/:sku")},
		{"empty path variable is set", "GET", "/rest/V1/products//media", "", 200, noFixture("GET", "/V1/products/:sku/media")},
		{"POST without the entity", "POST", "/rest/V1/products", `{}`, 400, required("product")},
		{"POST with a null entity", "POST", "/rest/V1/products", `{"product":null}`, 400, required("product")},
		{"POST with the entity", "POST", "/rest/V1/products", `{"product":{"sku":"x"}}`, 200, noFixture("POST", "/V1/products")},
		{"POST from the query", "POST", "/rest/V1/products?product[sku]=x", `{}`, 200, noFixture("POST", "/V1/products")},
		{"PUT", "PUT", "/rest/V1/products/x", `{"saveOptions":true}`, 400, required("product")},
		{"body error comes first", "POST", "/rest/V1/products", `{`, 400, `{"message":"Decoding error."}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headers := []string{bearer}
			if tc.body != "" {
				headers = append(headers, ctJSON)
			}
			resp := e.do(tc.method, tc.path, tc.body, headers...)
			if resp.status != tc.status || resp.body != tc.want {
				t.Errorf("%s %s = %d %s\nwant %d %s", tc.method, tc.path, resp.status, resp.body, tc.status, tc.want)
			}
		})
	}

	// The ACL comes first: a guest is refused for the resource.
	if resp := e.do("GET", "/rest/V1/products", ""); resp.status != 401 || resp.body != denied("Magento_Catalog::products") {
		t.Errorf("guest GET /V1/products = %d %s", resp.status, resp.body)
	}
	// A fixture answers only a call Magento would serve.
	if err := e.srv.SetFixture(webapi.Fixture{Method: "GET", URL: "/V1/products", Body: []byte(`{"items":[]}`)}); err != nil {
		t.Fatal(err)
	}
	if resp := e.do("GET", "/rest/V1/products", "", bearer); resp.status != 400 || resp.body != required("searchCriteria") {
		t.Errorf("fixture, no searchCriteria = %d %s", resp.status, resp.body)
	}
	if resp := e.do("GET", "/rest/V1/products?searchCriteria=", "", bearer); resp.status != 200 || resp.body != `{"items":[]}` {
		t.Errorf("fixture with searchCriteria = %d %s", resp.status, resp.body)
	}
	if ev := e.lastEvent(); ev.Outcome != webapi.OutcomeFixture {
		t.Errorf("outcome = %v, want fixture", ev.Outcome)
	}
}

// TestEveryRequiredListRoute sends every route of the table that needs a
// searchCriteria, as the admin, without one and with one.
func TestEveryRequiredListRoute(t *testing.T) {
	e := newEnv(t, nil)
	bearer := "Authorization: Bearer " + e.adminToken()
	n := 0
	for _, r := range route.Default() {
		if r.Method != "GET" || len(r.Required) != 1 || r.Required[0] != "searchCriteria" {
			continue
		}
		n++
		path := "/rest" + strings.NewReplacer(":salesChannelType", "website", ":salesChannelCode", "base").Replace(r.URL)
		if resp := e.do("GET", path, "", bearer); resp.status != 400 || resp.body != required("searchCriteria") {
			t.Errorf("GET %s = %d %s", path, resp.status, resp.body)
		}
		if resp := e.do("GET", path+"?searchCriteria[pageSize]=1", "", bearer); resp.status != 200 {
			t.Errorf("GET %s?searchCriteria = %d %s", path, resp.status, resp.body)
		}
	}
	if n < 30 {
		t.Errorf("%d list routes need searchCriteria, want at least 30", n)
	}
}

// TestSelfRoutesForOtherCallers checks docs/magento-fidelity.md §3: an
// admin, or an integration with all resources, passes the ACL check of a
// self route and is refused for the customer or cart id it does not have.
func TestSelfRoutesForOtherCallers(t *testing.T) {
	e := newEnv(t, nil)
	bearer := "Authorization: Bearer " + e.adminToken()
	e.integrationWith(1, true)
	e.integrationWith(2, false, "Magento_Catalog::products")
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"customers/me", "GET", "/rest/V1/customers/me", "", 400, required("customerId")},
		{"carts/mine", "GET", "/rest/V1/carts/mine", "", 400, required("customerId")},
		{"cart items", "GET", "/rest/V1/carts/mine/items", "", 400, required("cartId")},
		{"revoke own token", "POST", "/rest/V1/integration/customer/revoke-customer-token", "{}", 400, required("customerId")},
		{"forced null beats the request's value", "GET", "/rest/V1/carts/mine/items?cartId=5", "", 400, required("cartId")},
		// Magento writes the forced null under cartId; cart_id stays set.
		{"snake_case id is not overwritten", "GET", "/rest/V1/carts/mine/items?cart_id=5", "", 200, noFixture("GET", "/V1/carts/mine/items")},
		{"two forced ids", "POST", "/rest/V1/carts/mine/payment-order", `{"methodCode":"m","paymentSource":"s","location":"l"}`, 400,
			aggregate + required("cartId") + "," + required("customerId") + "]}"},
		{"forced nested field sets its parent", "PUT", "/rest/V1/customers/me", `{"customer":{}}`, 200, noFixture("PUT", "/V1/customers/me")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.body != "" {
				headers = append(headers, "Content-Type: application/json")
			}
			resp := e.do(tc.method, tc.path, tc.body, append(headers, bearer)...)
			if resp.status != tc.status || resp.body != tc.want {
				t.Errorf("admin %s %s = %d %s\nwant %d %s", tc.method, tc.path, resp.status, resp.body, tc.status, tc.want)
			}
			resp = e.signed(1, tc.method, tc.path, tc.body)
			if resp.status != tc.status || resp.body != tc.want {
				t.Errorf("integration (all) %s %s = %d %s\nwant %d %s", tc.method, tc.path, resp.status, resp.body, tc.status, tc.want)
			}
			resp = e.signed(2, tc.method, tc.path, tc.body)
			if resp.status != 401 || resp.body != denied("self") {
				t.Errorf("integration (custom) %s %s = %d %s, want the ACL denial", tc.method, tc.path, resp.status, resp.body)
			}
		})
	}

	// A customer has the id.
	if resp := e.postJSON("/rest/V1/customers", `{"customer":{"email":"jane@example.com","firstname":"Jane","lastname":"Doe"},"password":"Secret-123"}`); resp.status != 200 {
		t.Fatalf("sign-up: %d %s", resp.status, resp.body)
	}
	resp := e.postJSON("/rest/V1/integration/customer/token", `{"username":"jane@example.com","password":"Secret-123"}`)
	var token string
	if err := json.Unmarshal([]byte(resp.body), &token); err != nil {
		t.Fatalf("customer token %d %s", resp.status, resp.body)
	}
	if resp := e.do("GET", "/rest/V1/customers/me", "", "Authorization: Bearer "+token); resp.status != 200 || !strings.Contains(resp.body, `"email":"jane@example.com"`) {
		t.Errorf("customer GET /V1/customers/me = %d %s", resp.status, resp.body)
	}
	if resp := e.do("GET", "/rest/V1/carts/mine/items", "", "Authorization: Bearer "+token); resp.status != 200 {
		t.Errorf("customer GET /V1/carts/mine/items = %d %s", resp.status, resp.body)
	}
}
