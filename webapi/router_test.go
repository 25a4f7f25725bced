package webapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/magekit/magekit/webapi"
	"github.com/magekit/magekit/webapi/route"
)

// fill replaces each ":name" segment of a route URL with a sample value that
// no route has as a literal.
func fill(url string) string {
	segs := strings.Split(url, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "sample" + s[1:] + "7"
		}
	}
	return strings.Join(segs, "/")
}

// TestEveryRouteResolvesToItself sends every route of the table, its
// parameters filled, under the three prefixes, and checks that the router
// chose that route.
func TestEveryRouteResolvesToItself(t *testing.T) {
	e := newEnv(t, nil)
	routes := route.Default()
	if len(routes) != 431 {
		t.Fatalf("DefaultRoutes() has %d routes, want 431", len(routes))
	}
	for _, prefix := range []string{"/rest", "/rest/default", "/rest/all"} {
		for _, r := range routes {
			path := prefix + fill(r.URL)
			req := httptest.NewRequest(r.Method, path, nil)
			e.srv.ServeHTTP(httptest.NewRecorder(), req)
			if ev := e.lastEvent(); ev.Route != r.URL {
				t.Errorf("%s %s resolved to %q (%s %d), want %q", r.Method, path, ev.Route, ev.Outcome, ev.Status, r.URL)
			}
		}
	}
}

// TestRouting covers the path and method rules of Magento's REST router.
func TestRouting(t *testing.T) {
	e := newEnv(t, func(c *webapi.Config) { c.StoreCodes = []string{"default", "en"} })
	const noRoute = `{"message":"Request does not match any route."}`
	for _, tc := range []struct {
		name, method, path string
		status             int
		route              string
		body               string
	}{
		{"plain", "GET", "/rest/V1/store/storeViews", 401, "/V1/store/storeViews", ""},
		{"store code", "GET", "/rest/en/V1/store/storeViews", 401, "/V1/store/storeViews", ""},
		{"all", "GET", "/rest/all/V1/store/storeViews", 401, "/V1/store/storeViews", ""},
		{"index.php", "GET", "/index.php/rest/V1/store/storeViews", 401, "/V1/store/storeViews", ""},
		{"trailing slash", "GET", "/rest/V1/store/storeViews/", 401, "/V1/store/storeViews", ""},
		{"lower-case method", "get", "/rest/V1/store/storeViews", 401, "/V1/store/storeViews", ""},
		{"pattern", "GET", "/rest/V1/products/24-MB01", 401, "/V1/products/:sku", ""},
		{"encoded slash stays one segment", "GET", "/rest/V1/products/a%2Fb/media", 401, "/V1/products/:sku/media", ""},
		{"literal beats pattern", "GET", "/rest/V1/products/types", 401, "/V1/products/types", ""},
		{"last in string order", "GET", "/rest/V1/configurable-products/x/options/all", 401, "/V1/configurable-products/:sku/options/all", ""},
		{"empty segment is a value", "GET", "/rest/V1/products//media", 401, "/V1/products/:sku/media", ""},
		{"unknown route", "GET", "/rest/V1/nothing/here", 404, "", noRoute},
		{"case matters", "GET", "/rest/V1/Products", 404, "", noRoute},
		{"known path, other method", "PATCH", "/rest/V1/products", 405, "", `{"message":"The PATCH HTTP method is not supported."}`},
		{"known path, method not declared", "DELETE", "/rest/V1/products", 404, "", noRoute},
		{"other version", "GET", "/rest/V2/products", 404, "", noRoute},
		{"unknown store code", "GET", "/rest/fr/V1/products", 400, "", `{"message":"Specified request cannot be processed."}`},
		{"no version", "GET", "/rest/products", 400, "", `{"message":"Specified request cannot be processed."}`},
		{"options", "OPTIONS", "/rest/V1/products", 405, "", `{"message":"The OPTIONS HTTP method is not supported."}`},
		{"outside rest", "GET", "/V1/products", 404, "", noRoute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.do(tc.method, tc.path, "")
			if resp.status != tc.status {
				t.Errorf("%s %s = %d %s, want %d", tc.method, tc.path, resp.status, resp.body, tc.status)
			}
			if tc.body != "" && resp.body != tc.body {
				t.Errorf("%s %s body = %s, want %s", tc.method, tc.path, resp.body, tc.body)
			}
			if ev := e.lastEvent(); ev.Route != tc.route {
				t.Errorf("%s %s route = %q, want %q", tc.method, tc.path, ev.Route, tc.route)
			}
		})
	}
}

// TestDefaultStoreCode checks the default store-code rule: the fresh
// install's one store view, "default", and "all" (docs/magento-fidelity.md
// §1; TestStoreCodes has the rest).
func TestDefaultStoreCode(t *testing.T) {
	e := newEnv(t, nil)
	for path, status := range map[string]int{
		"/rest/default/V1/products":    http.StatusUnauthorized,
		"/rest/all/V1/products":        http.StatusUnauthorized,
		"/rest/store_2/V1/products":    http.StatusBadRequest,
		"/rest/async/V1/products":      http.StatusBadRequest,
		"/rest/2nd/V1/products":        http.StatusBadRequest,
		"/rest/default/V1/integration": http.StatusNotFound,
	} {
		if resp := e.do("GET", path, ""); resp.status != status {
			t.Errorf("GET %s = %d %s, want %d", path, resp.status, resp.body, status)
		}
	}
}

// TestRouteTable checks custom tables: extra routes and invalid ones.
func TestRouteTable(t *testing.T) {
	extra := route.Route{Method: "GET", URL: "/V1/emulator/journal", Resources: []string{"Magento_Integration::integrations"}}
	e := newEnv(t, func(c *webapi.Config) { c.Routes = append(route.Default(), extra) })
	token := e.adminToken()
	if resp := e.do("GET", "/rest/V1/emulator/journal", "", "Authorization: Bearer "+token); resp.status != 200 || resp.body != noFixture("GET", extra.URL) {
		t.Errorf("extra route = %d %s", resp.status, resp.body)
	}
	for _, bad := range [][]route.Route{
		{{Method: "PATCH", URL: "/V1/x"}},
		{{Method: "GET", URL: "V1/x"}},
		{{Method: "GET", URL: "/V1/x"}, {Method: "GET", URL: "/V1/x"}},
	} {
		_, err := webapi.New(webapi.Config{Store: e.store, Service: e.svc, Provider: e.provider, Routes: bad})
		if err == nil {
			t.Errorf("New(Routes: %v) = nil error", bad)
		}
	}
}
