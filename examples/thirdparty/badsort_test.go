package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/webapi"
)

// TestBadSort runs the handshake against the emulator and a search with
// filter indexes 2 and 10: signed in Magento's natural order it answers
// 200; with BadSort (dghubble's byte order) 401, and the journal's
// diagnosis names byte_order_sort.
func TestBadSort(t *testing.T) {
	const search = "rest/V1/products?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B2%5D%5Bfield%5D=name" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B10%5D%5Bfield%5D=sku"
	for _, badSort := range []bool{false, true} {
		t.Run(fmt.Sprint("bad-sort=", badSort), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			srv := integrationtest.NewServer(t, integrationtest.WithFixture(webapi.Fixture{
				Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"items":[],"total_count":0}`)}))
			app := NewApp()
			app.BadSort = badSort
			endpoint := httptest.NewServer(app)
			defer endpoint.Close()
			in := srv.CreateIntegration(t, integration.Integration{Name: "ThirdParty", AllResources: true,
				Endpoint: endpoint.URL + "/", IdentityLinkURL: endpoint.URL + "/link"})
			if status, body := srv.AdminDo(t, "POST", fmt.Sprintf("/rest/V1/integrations/%d/activate", in.ID), ""); status != 200 {
				t.Fatalf("activate = %d %s", status, body)
			}
			post, err := app.WaitPost(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := app.Complete(post); err != nil {
				t.Fatal(err)
			}
			status, body, err := app.Get(ctx, srv.BaseURL+search)
			if err != nil {
				t.Fatal(err)
			}
			d, diagnosed := srv.LastDiagnosis()
			if !badSort {
				if status != http.StatusOK || diagnosed {
					t.Errorf("search signed in natural order = %d %s (diagnosis %+v), want 200", status, body, d)
				}
				return
			}
			if status != http.StatusUnauthorized || d.Rule != signature.RuleByteOrderSort {
				t.Errorf("search signed in byte order = %d %s, diagnosis %+v; want 401 and %s", status, body, d, signature.RuleByteOrderSort)
			}
		})
	}
}

func TestNatCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int // the sign
	}{
		{"a%5B2%5D", "a%5B10%5D", -1},
		{"a10", "a9", 1},
		{"a02", "a1", -1},
		{"oauth_nonce", "oauth_token", -1},
		{"a", "a1", -1},
		{"x", "x", 0},
	} {
		got := natCompare(tc.a, tc.b)
		if got > 0 {
			got = 1
		} else if got < 0 {
			got = -1
		}
		if got != tc.want {
			t.Errorf("natCompare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
