package webapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/webapi"
)

// TestNewStackSharesSettings checks that the Server reads the stack's one
// Settings: turning integration-as-bearer on through it lets an access
// token call as a bearer token.
func TestNewStackSharesSettings(t *testing.T) {
	st, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	stack, err := webapi.NewStack(st, webapi.StackConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if stack.Server.Settings() != stack.Settings || stack.Store != st {
		t.Fatal("the Server does not read the stack's Settings, or the stack lost its store")
	}
	if _, err := stack.Service.CreateWithCredentials(t.Context(), integration.Integration{Name: "ERP", AllResources: true}, creds(1)); err != nil {
		t.Fatal(err)
	}
	call := func() int {
		r := httptest.NewRequest(http.MethodGet, "/rest/V1/orders?searchCriteria=", nil)
		r.Header.Set("Authorization", "Bearer "+creds(1).AccessToken)
		w := httptest.NewRecorder()
		stack.Server.ServeHTTP(w, r)
		return w.Code
	}
	if got := call(); got != http.StatusUnauthorized {
		t.Fatalf("bearer access token with the setting off = %d, want 401", got)
	}
	if err := stack.Settings.Set(map[string]string{settings.PathIntegrationAsBearer: "1"}); err != nil {
		t.Fatal(err)
	}
	if got := call(); got != http.StatusOK {
		t.Errorf("bearer access token with the setting on = %d, want 200", got)
	}
}

func TestNewStackNeedsStore(t *testing.T) {
	if _, err := webapi.NewStack(nil, webapi.StackConfig{}); err == nil {
		t.Error("NewStack(nil) succeeded")
	}
}
