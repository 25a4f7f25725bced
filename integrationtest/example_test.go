package integrationtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/webapi"
)

// exampleT stands in for the *testing.T that a real test passes to
// NewServer; the example needs one because examples get none.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (t *exampleT) Helper()                           {}
func (t *exampleT) Context() context.Context          { return context.Background() }
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) close() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// A connector test: a store with a fixture, an integration activated
// through the real token exchange, a signed call, and the journal.
func ExampleNewServer() {
	t := &exampleT{} // in a test: the *testing.T
	defer t.close()

	srv := integrationtest.NewServer(t, integrationtest.WithFixture(webapi.Fixture{
		Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"items":[],"total_count":0}`),
	}))
	in := srv.CreateIntegration(t, integration.Integration{
		Name: "ERP", AllResources: true,
		Endpoint: srv.EndpointURL, IdentityLinkURL: srv.IdentityLinkURL,
	})
	creds := srv.Activate(t, in.ID)

	resp, err := srv.SignedClient(creds).Get(srv.URL + "/rest/V1/products?searchCriteria[pageSize]=20")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(body))

	for _, e := range srv.Journal() {
		fmt.Println(e.Method, e.Path, e.Who, e.Outcome, e.Status)
	}
	// Output:
	// 200 {"items":[],"total_count":0}
	// POST /rest/V1/integration/admin/token guest handler 200
	// POST /rest/V1/integrations/1/activate admin handler 200
	// POST /oauth/token/request guest oauth_token 200
	// POST /oauth/token/access guest oauth_token 200
	// GET /admin/admin/integration/loginSuccessCallback/ guest success_callback 200
	// GET /rest/V1/products integration fixture 200
}
