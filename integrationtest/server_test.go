package integrationtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/magekit/magekit/emulator/journal"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/store/sqlstore"
	"github.com/magekit/magekit/webapi"
)

var products = webapi.Fixture{Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"items":[{"sku":"24-MB01"}],"total_count":1}`)}

// get sends GET path with c and returns the status and body.
func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestHandshake drives the whole token exchange through the harness: the
// control route sends the credential POST to the harness's endpoint, the
// identity link completes the handshake with dghubble/oauth1 and
// redirects to success_call_back, and the credentials sign calls.
func TestHandshake(t *testing.T) {
	for _, p := range []signature.Profile{signature.Magento247, signature.Magento243, signature.RFC5849} {
		t.Run(p.String(), func(t *testing.T) {
			srv := integrationtest.NewServer(t, integrationtest.WithProfile(p), integrationtest.WithFixture(products))
			in := srv.CreateIntegration(t, integration.Integration{
				Name: "ERP", Resources: []string{"Magento_Catalog::products"},
				Endpoint: srv.EndpointURL, IdentityLinkURL: srv.IdentityLinkURL,
			})
			creds := srv.Activate(t, in.ID)
			if got := srv.Integration(t, "ERP"); got.Status != integration.StatusActive {
				t.Errorf("status after the exchange = %v, want Active", got.Status)
			}
			status, body := get(t, srv.SignedClient(creds), srv.URL+"/rest/V1/products?searchCriteria[pageSize]=1")
			if status != 200 || body != string(products.Body) {
				t.Errorf("signed GET /V1/products = %d %s", status, body)
			}
			// The grant is Magento_Catalog::products only.
			if status, _ := get(t, srv.SignedClient(creds), srv.URL+"/rest/V1/orders"); status != 401 {
				t.Errorf("signed GET /V1/orders = %d, want 401", status)
			}

			var outcomes []string
			for _, e := range srv.Journal() {
				outcomes = append(outcomes, e.Method+" "+e.Path+" "+e.Who+" "+e.Outcome)
			}
			want := []string{
				"POST /rest/V1/integration/admin/token guest handler",
				"POST /rest/V1/integrations/1/activate admin handler",
				"POST /oauth/token/request guest oauth_token",
				"POST /oauth/token/access guest oauth_token",
				"GET /admin/admin/integration/loginSuccessCallback/ guest success_callback",
				"GET /rest/V1/products integration fixture",
				"GET /rest/V1/orders integration denied",
			}
			if strings.Join(outcomes, "\n") != strings.Join(want, "\n") {
				t.Errorf("journal:\n%s\nwant:\n%s", strings.Join(outcomes, "\n"), strings.Join(want, "\n"))
			}

			// Reauthorize: a new access token; the old one stops working.
			again := srv.Reauthorize(t, in.ID)
			if again.ConsumerKey != creds.ConsumerKey || again.AccessToken == creds.AccessToken {
				t.Errorf("reauthorize: %+v after %+v", again, creds)
			}
			if status, _ := get(t, srv.SignedClient(creds), srv.URL+"/rest/V1/products?searchCriteria="); status != 401 {
				t.Errorf("old token after reauthorize = %d, want 401", status)
			}
			if status, _ := get(t, srv.SignedClient(again), srv.URL+"/rest/V1/products?searchCriteria="); status != 200 {
				t.Errorf("new token after reauthorize = %d, want 200", status)
			}
		})
	}
}

// TestDirectActivation activates an integration without endpoint: the
// four credentials are the control route's answer.
func TestDirectActivation(t *testing.T) {
	srv := integrationtest.NewServer(t, integrationtest.WithIntegration(integration.Integration{Name: "ERP", AllResources: true}))
	creds := srv.Activate(t, srv.Integration(t, "ERP").ID)
	if status, body := get(t, srv.SignedClient(creds), srv.URL+"/rest/V1/store/websites"); status != 200 {
		t.Errorf("signed GET = %d %s", status, body)
	}
}

// TestEndpointOnly takes the token exchange with a harness endpoint and a
// foreign identity link: the harness completes the handshake directly.
func TestEndpointOnly(t *testing.T) {
	srv := integrationtest.NewServer(t)
	in := srv.CreateIntegration(t, integration.Integration{Name: "ERP", AllResources: true, Endpoint: srv.EndpointURL, IdentityLinkURL: "https://app.example/link"})
	creds := srv.Activate(t, in.ID)
	if status, _ := get(t, srv.SignedClient(creds), srv.URL+"/rest/V1/store/websites"); status != 200 {
		t.Errorf("signed GET = %d", status)
	}
}

// TestSeeding checks the seeding options and helpers: fixed credentials,
// config, fixtures, the admin helper and reset.
func TestSeeding(t *testing.T) {
	fixed := integration.Credentials{
		ConsumerKey: strings.Repeat("k", 32), ConsumerSecret: strings.Repeat("s", 32),
		AccessToken: strings.Repeat("t", 32), AccessTokenSecret: strings.Repeat("x", 32),
	}
	srv := integrationtest.NewServer(t,
		integrationtest.WithActiveIntegration(integration.Integration{Name: "ERP", AllResources: true}, fixed),
		integrationtest.WithConfig(settings.PathIntegrationAsBearer, "1"),
		integrationtest.WithFixture(products),
		integrationtest.WithRequirePassword(),
	)
	bearer := &http.Client{Transport: bearerTransport(fixed.AccessToken)}
	if status, body := get(t, bearer, srv.URL+"/rest/V1/products?searchCriteria="); status != 200 || body != string(products.Body) {
		t.Errorf("bearer GET = %d %s", status, body)
	}
	if status, body := srv.AdminDo(t, "POST", "/rest/V1/integrations", `{"integration":{"name":"PIM"}}`); status != 401 {
		t.Errorf("create without the required password = %d %s, want 401", status, body)
	}
	srv.SetFixture(t, webapi.Fixture{Method: "GET", URL: "/V1/products", Status: 503, Body: json.RawMessage(`{"message":"down"}`)})
	if status, _ := get(t, srv.SignedClient(fixed), srv.URL+"/rest/V1/products?searchCriteria="); status != 503 {
		t.Errorf("signed GET after SetFixture = %d, want 503", status)
	}
	srv.SetConfig(t, settings.PathIntegrationAsBearer, "0")
	if status, _ := get(t, bearer, srv.URL+"/rest/V1/products?searchCriteria="); status != 401 {
		t.Errorf("bearer GET after SetConfig = %d, want 401", status)
	}
	srv.Reset(t)
	if len(srv.Journal()) != 0 {
		t.Errorf("journal after reset: %+v", srv.Journal())
	}
	if status, _ := get(t, srv.SignedClient(fixed), srv.URL+"/rest/V1/products?searchCriteria="); status != 401 {
		t.Errorf("signed GET after reset = %d, want 401", status)
	}
	// The admin token survives a reset.
	if status, body := srv.AdminDo(t, "GET", "/rest/V1/integrations", ""); status != 200 || string(body) != "[]" {
		t.Errorf("list after reset = %d %s", status, body)
	}
}

// bearerTransport sends a Bearer token.
type bearerTransport string

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+string(b))
	return http.DefaultTransport.RoundTrip(r)
}

// TestWithStore checks that WithStore puts the emulator's integrations in
// the store the test hands over, here a SQLite file.
func TestWithStore(t *testing.T) {
	st, err := sqlstore.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "magekit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := integrationtest.NewServer(t, integrationtest.WithStore(st))
	in := srv.CreateIntegration(t, integration.Integration{Name: "ERP", AllResources: true})
	got, err := st.Integration(t.Context(), in.ID)
	if err != nil || got.Name != "ERP" {
		t.Fatalf("the test's store holds %+v, %v; want the integration created through the server", got, err)
	}
}

// TestSeedAndMatching seeds an Active integration and a matching fixture,
// and checks the journal helpers see the call.
func TestSeedAndMatching(t *testing.T) {
	seed, err := emulator.ParseSeed([]byte(`{"unmatched":"error","integrations":[{"name":"ERP","all_resources":true,"credentials":{
		"consumer_key":"ck000000000000000000000000000002","consumer_secret":"cs000000000000000000000000000002",
		"access_token":"at000000000000000000000000000002","access_token_secret":"as000000000000000000000000000002"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	srv := integrationtest.NewServer(t, integrationtest.WithSeed(seed), integrationtest.WithMatchingFixture(fixture.Fixture{
		Method: "GET", URL: "/V1/orders/:id", Body: json.RawMessage(`{"entity_id":7}`),
		Match: fixture.Match{Path: map[string]fixture.Condition{"id": {Equals: "7"}}},
	}))
	c := integration.Credentials{ConsumerKey: "ck000000000000000000000000000002", ConsumerSecret: "cs000000000000000000000000000002",
		AccessToken: "at000000000000000000000000000002", AccessTokenSecret: "as000000000000000000000000000002"}
	for path, want := range map[string]int{"/rest/V1/orders/7": 200, "/rest/V1/orders/8": 404} {
		resp, err := srv.SignedClient(c).Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
	if l := srv.Requests(journal.Filter{Route: "/V1/orders/:id", Outcome: "fixture"}); len(l) != 1 || l[0].Path != "/rest/V1/orders/7" {
		t.Errorf("Requests(fixture) = %+v", l)
	}
	srv.ClearJournal()
	if n := len(srv.Journal()); n != 0 {
		t.Errorf("journal after ClearJournal has %d entries", n)
	}
}
