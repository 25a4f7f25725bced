package route

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Route is one REST route of Magento's merged etc/webapi.xml (docs/magento-behaviour.md §10.5):
// a method and a URL pattern whose ":name" segments match any one path
// segment, the ACL resource refs a caller needs (all of them), and whether
// the route is served over https only.
type Route struct {
	// Method is GET, POST, PUT or DELETE.
	Method string
	// URL is the pattern as the route table writes it, "/V1/products/:sku".
	URL string
	// Resources are the route's <resource ref>s: ACL ids, "anonymous" or
	// "self". A caller must be allowed every one.
	Resources []string
	// Secure routes (secure="true") answer 400 "Operation allowed only in
	// HTTPS" over plain http.
	Secure bool
	// ForcedParameters are the route's <parameter force="true"> values, such
	// as customerId = "%customer_id%"; nil when there are none.
	ForcedParameters map[string]string
	// Service is the route's <service class method>, "Class::method";
	// informative only.
	Service string
	// Required are the service method's parameters that have no default
	// value, in the method's order. A call whose path, query, body (POST
	// and PUT) and forced parameters give none of a name, in camelCase or
	// snake_case, is refused with 400 `"%fieldName" is required. Enter and
	// try again.`, as Magento's ServiceInputProcessor refuses it
	// (docs/magento-fidelity.md §2). Nil for a route of the host's own.
	Required []string
}

// Clone returns a deep copy of r.
func (r Route) Clone() Route {
	r.Resources = slices.Clone(r.Resources)
	r.ForcedParameters = maps.Clone(r.ForcedParameters)
	r.Required = slices.Clone(r.Required)
	return r
}

//go:embed magento-2.4.7-routes.json
var magento247Routes []byte

// defaultRoutes parses the embedded table once.
var defaultRoutes = sync.OnceValues(func() ([]Route, error) {
	var doc struct {
		Routes []struct {
			Method           string            `json:"method"`
			URL              string            `json:"url"`
			Resources        []string          `json:"resources"`
			Secure           bool              `json:"secure"`
			ForcedParameters map[string]string `json:"forcedParameters"`
			Service          string            `json:"service"`
			Required         []string          `json:"required"`
		} `json:"routes"`
	}
	if err := json.Unmarshal(magento247Routes, &doc); err != nil {
		return nil, fmt.Errorf("route: embedded route table: %w", err)
	}
	routes := make([]Route, len(doc.Routes))
	for i, r := range doc.Routes {
		routes[i] = Route{Method: r.Method, URL: r.URL, Resources: r.Resources, Secure: r.Secure,
			ForcedParameters: r.ForcedParameters, Service: r.Service, Required: r.Required}
	}
	return routes, nil
})

// Default returns the 431 REST routes of Magento Open Source 2.4.7-p3, in
// merged-document order (see the package documentation for their
// provenance). Each call returns a fresh copy that the caller may change, for
// example to append routes of its own before passing the table to
// [NewTable] or to webapi.Config.Routes.
func Default() []Route {
	routes, err := defaultRoutes()
	if err != nil {
		// The embedded table is fixed at build time and parsed by the
		// package tests, so a tested build never gets here.
		panic(err)
	}
	out := make([]Route, len(routes))
	for i, r := range routes {
		out[i] = r.Clone()
	}
	return out
}

// Guest is one of the routes that the setting "Allow Anonymous Guest
// Access" (webapi/webapisecurity/allow_insecure) opens to anonymous callers.
type Guest struct {
	Method string
	URL    string
}

// guests are the 31 routes of Magento_WebapiSecurity's di.xml (docs/magento-behaviour.md
// §11), all GET. When the setting is on, their resources are replaced by
// "anonymous".
var guests = [...]Guest{
	{"GET", "/V1/products"},
	{"GET", "/V1/products/:sku"},
	{"GET", "/V1/products/attributes/:attributeCode"},
	{"GET", "/V1/products/types"},
	{"GET", "/V1/products/attribute-sets/sets/list"},
	{"GET", "/V1/products/attribute-sets/:attributeSetId"},
	{"GET", "/V1/products/attribute-sets/:attributeSetId/attributes"},
	{"GET", "/V1/products/attribute-sets/groups/list"},
	{"GET", "/V1/products/attributes/:attributeCode/options"},
	{"GET", "/V1/products/media/types/:attributeSetName"},
	{"GET", "/V1/products/:sku/media/:entryId"},
	{"GET", "/V1/products/:sku/media"},
	{"GET", "/V1/products/:sku/group-prices/:customerGroupId/tiers"},
	{"GET", "/V1/categories/:categoryId"},
	{"GET", "/V1/categories"},
	{"GET", "/V1/products/:sku/options"},
	{"GET", "/V1/products/:sku/options/:optionId"},
	{"GET", "/V1/products/links/types"},
	{"GET", "/V1/products/links/:type/attributes"},
	{"GET", "/V1/products/:sku/links/:type"},
	{"GET", "/V1/categories/:categoryId/products"},
	{"GET", "/V1/stockStatuses/:productSku"},
	{"GET", "/V1/configurable-products/:sku/children"},
	{"GET", "/V1/configurable-products/:sku/options/:id"},
	{"GET", "/V1/configurable-products/:sku/options/all"},
	{"GET", "/V1/cmsPage/:pageId"},
	{"GET", "/V1/cmsBlock/:blockId"},
	{"GET", "/V1/store/storeViews"},
	{"GET", "/V1/store/storeGroups"},
	{"GET", "/V1/store/websites"},
	{"GET", "/V1/store/storeConfigs"},
}

// Guests returns the 31 routes that "Allow Anonymous Guest Access"
// opens to anonymous callers (docs/magento-behaviour.md §11), in the order of Magento's di.xml.
func Guests() []Guest {
	return slices.Clone(guests[:])
}
