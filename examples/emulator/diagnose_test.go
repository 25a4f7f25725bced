package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestDiagnoseFlag checks that a signature failure is diagnosed in the
// journal and the debug log by default, and not with -diagnose=false.
func TestDiagnoseFlag(t *testing.T) {
	const filters = "rest/V1/products?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B2%5D%5Bfield%5D=name" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B10%5D%5Bfield%5D=sku"
	for _, tc := range []struct {
		args []string
		want string // the journaled rule, "" for none
	}{
		{nil, "byte_order_sort"},
		{[]string{"-diagnose=false"}, ""},
	} {
		t.Run(fmt.Sprint(tc.args), func(t *testing.T) {
			e := start(t, tc.args...)
			var in struct{ ID int64 }
			e.admin("POST", "rest/V1/integrations", `{"integration":{"name":"ERP","all_resources":true}}`, &in)
			var c struct {
				ConsumerKey       string `json:"consumer_key"`
				ConsumerSecret    string `json:"consumer_secret"`
				AccessToken       string `json:"access_token"`
				AccessTokenSecret string `json:"access_token_secret"`
			}
			e.admin("POST", fmt.Sprintf("rest/V1/integrations/%d/activate", in.ID), "", &c)
			// dghubble/oauth1 sorts filter 10 before filter 2.
			if status, body := e.call(signed(c.ConsumerKey, c.ConsumerSecret, c.AccessToken, c.AccessTokenSecret), "GET", filters, "", ""); status != 401 {
				t.Fatalf("GET with filters 2 and 10 = %d %s, want 401", status, body)
			}
			var journal []struct {
				Status    int
				Diagnosis *struct{ Rule, Explanation string }
			}
			e.admin("GET", "rest/V1/emulator/journal", "", &journal)
			var failed []string
			for _, j := range journal {
				if j.Status == 401 {
					rule := ""
					if j.Diagnosis != nil {
						rule = j.Diagnosis.Rule
					}
					failed = append(failed, rule)
				}
			}
			if len(failed) != 1 || failed[0] != tc.want {
				t.Errorf("journaled diagnoses of the 401s = %q, want [%q]", failed, tc.want)
			}
			if logged := strings.Contains(e.stderr.String(), "rule=byte_order_sort"); logged != (tc.want != "") {
				t.Errorf("debug log names the rule: %v, want %v", logged, tc.want != "")
			}
		})
	}
}
