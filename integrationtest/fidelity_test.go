package integrationtest_test

import (
	"io"
	"strings"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
)

// TestStoreCodesAndTwoFactor checks WithStoreCodes and WithTwoFactor: the
// harness's helpers get admin tokens through the Google route, a signed
// call works under a configured store code, and the plain token route
// answers as Magento_TwoFactorAuth does.
func TestStoreCodesAndTwoFactor(t *testing.T) {
	srv := integrationtest.NewServer(t, integrationtest.WithStoreCodes("default", "de"), integrationtest.WithTwoFactor("JBSWY3DPEHPK3PXP"))
	in := srv.CreateIntegration(t, integration.Integration{
		Name: "ERP", AllResources: true, Endpoint: srv.EndpointURL, IdentityLinkURL: srv.IdentityLinkURL,
	})
	creds := srv.Activate(t, in.ID)
	for path, want := range map[string]int{
		"/rest/de/V1/orders?searchCriteria=": 200,
		"/rest/fr/V1/orders?searchCriteria=": 400,
		"/rest/de/V1/orders":                 400,
	} {
		if status, body := get(t, srv.SignedClient(creds), srv.URL+path); status != want {
			t.Errorf("signed GET %s = %d %s, want %d", path, status, body, want)
		}
	}
	resp, err := srv.Client().Post(srv.URL+"/rest/V1/integration/admin/token", "application/json",
		strings.NewReader(`{"username":"admin","password":"magento123"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"message":"Please use the 2fa provider-specific endpoints to obtain a token.","parameters":{"active_providers":["google"]}}`
	if resp.StatusCode != 400 || string(b) != want {
		t.Errorf("plain admin token under two-factor = %d %s, want 400 %s", resp.StatusCode, b, want)
	}
}
