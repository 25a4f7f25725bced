package integrationtest_test

import (
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/oauth/signature"
)

var diagCreds = integration.Credentials{
	ConsumerKey:       "ck000000000000000000000000000009",
	ConsumerSecret:    "cs000000000000000000000000000009",
	AccessToken:       "at000000000000000000000000000009",
	AccessTokenSecret: "as000000000000000000000000000009",
}

// TestLastDiagnosis checks that the harness reports the rule a client
// broke: SignedClient signs with dghubble/oauth1, which sorts in byte
// order, so filter indexes 2 and 10 fail with byte_order_sort.
func TestLastDiagnosis(t *testing.T) {
	const filters = "/rest/V1/products?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B2%5D%5Bfield%5D=name" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B10%5D%5Bfield%5D=sku"
	in := integration.Integration{Name: "ERP", AllResources: true}

	srv := integrationtest.NewServer(t, integrationtest.WithActiveIntegration(in, diagCreds), integrationtest.WithFixture(products))
	if d, ok := srv.LastDiagnosis(); ok {
		t.Fatalf("LastDiagnosis before any failure = %+v", d)
	}
	if status, body := get(t, srv.SignedClient(diagCreds), srv.URL+filters); status != 401 {
		t.Fatalf("GET with filters 2 and 10 = %d %s, want 401", status, body)
	}
	if status, _ := get(t, srv.SignedClient(diagCreds), srv.URL+"/rest/V1/products?searchCriteria="); status != 200 {
		t.Fatalf("GET /V1/products = %d, want 200", status)
	}
	d, ok := srv.LastDiagnosis()
	if !ok || d.Rule != signature.RuleByteOrderSort || d.ClientBaseString == "" {
		t.Errorf("LastDiagnosis = %+v, %v, want %s", d, ok, signature.RuleByteOrderSort)
	}

	off := integrationtest.NewServer(t, integrationtest.WithActiveIntegration(in, diagCreds), integrationtest.WithoutSignatureDiagnosis())
	if status, _ := get(t, off.SignedClient(diagCreds), off.URL+filters); status != 401 {
		t.Fatalf("GET with filters 2 and 10 = %d, want 401", status)
	}
	if d, ok := off.LastDiagnosis(); ok {
		t.Errorf("WithoutSignatureDiagnosis: LastDiagnosis = %+v", d)
	}
}
