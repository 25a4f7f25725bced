package route_test

import (
	"testing"

	"github.com/magekit/magekit/webapi/route"
)

// TestCaseConversions checks ServiceInputProcessor's snake_case and
// SimpleDataObjectConverter's camelCase.
func TestCaseConversions(t *testing.T) {
	for in, want := range map[string]string{
		"searchCriteria": "search_criteria", "customerId": "customer_id", "threeDSMode": "three_d_s_mode", "sku": "sku", "ID": "i_d",
	} {
		if got := route.SnakeCase(in); got != want {
			t.Errorf("route.SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"customer_id": "customerId", "quote_id": "quoteId", "cartId": "cartId", "_x": "x", "a__b": "aB",
	} {
		if got := route.CamelCase(in); got != want {
			t.Errorf("route.CamelCase(%q) = %q, want %q", in, got, want)
		}
	}
}
