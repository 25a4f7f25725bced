package sqlstore_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/store/sqlstore"
	"github.com/magekit/magekit/webapi"
)

// TestSignedRESTRoundTrips counts the statements a signed REST call sends
// to the database through the whole REST server: the verification and the
// identity read consumer, token and integration in one SELECT
// (oauth.OwnerStore) and record the nonce in one INSERT, so two round
// trips, on SQLite and on MySQL. Magento's 1-in-N cleanup is off here; it
// adds one DELETE now and then. The call's outcome is checked too: the
// integration's grant, read in that SELECT, must let it through.
func TestSignedRESTRoundTrips(t *testing.T) {
	for _, db := range restDatabases {
		t.Run(db.name, func(t *testing.T) {
			st, get := signedREST(t, db.dsn(t))
			const calls = 5
			before := st.RoundTrips()
			for range calls {
				get(t)
			}
			if got := float64(st.RoundTrips()-before) / calls; got > 2 {
				t.Errorf("a signed REST call costs %.1f round trips, want 2 (one SELECT, one nonce INSERT)", got)
			}
		})
	}
}

// BenchmarkSignedREST times a signed GET /rest/V1/products through the
// whole REST server over loopback HTTP, signing included, on SQLite and on
// MySQL, and reports the database round trips per call.
func BenchmarkSignedREST(b *testing.B) {
	for _, db := range restDatabases {
		b.Run(db.name, func(b *testing.B) {
			st, get := signedREST(b, db.dsn(b))
			b.ReportAllocs()
			before := st.RoundTrips()
			for b.Loop() {
				get(b)
			}
			b.ReportMetric(float64(st.RoundTrips()-before)/float64(b.N), "roundtrips/op")
		})
	}
}

var restDatabases = []struct {
	name string
	dsn  func(testing.TB) string
}{
	{"sqlite", sqliteDSN},
	{"mysql", func(tb testing.TB) string { mysqlServer(tb); return mysqlDSN(tb) }},
}

// signedREST opens dsn with a REST server in front of it, an Active
// integration allowed Magento_Catalog::products and a fixture for GET
// /V1/products, Magento's 1-in-N cleanup off. get sends one signed GET and
// fails unless it is answered 200.
func signedREST(tb testing.TB, dsn string) (st *sqlstore.Store, get func(testing.TB)) {
	tb.Helper()
	st = openStore(tb, dsn)
	cfg := settings.New()
	if err := cfg.Set(map[string]string{settings.PathCleanupProbability: "0"}); err != nil {
		tb.Fatal(err)
	}
	stack, err := webapi.NewStack(st, webapi.StackConfig{Settings: cfg})
	if err != nil {
		tb.Fatal(err)
	}
	c := integration.Credentials{ConsumerKey: strings.Repeat("k", 32), ConsumerSecret: strings.Repeat("s", 32),
		AccessToken: strings.Repeat("t", 32), AccessTokenSecret: strings.Repeat("x", 32)}
	if _, err := stack.Service.CreateWithCredentials(tb.Context(), integration.Integration{
		Name: "round trips", Resources: []string{"Magento_Catalog::products"}}, c); err != nil {
		tb.Fatal(err)
	}
	body := json.RawMessage(`{"items":[],"total_count":0}`)
	if err := stack.Server.SetFixture(webapi.Fixture{Method: "GET", URL: "/V1/products", Body: body}); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(stack.Server)
	tb.Cleanup(srv.Close)
	client := oauth1.NewConfig(c.ConsumerKey, c.ConsumerSecret)
	client.Signer = &oauth1.HMAC256Signer{ConsumerSecret: c.ConsumerSecret}
	hc := client.Client(tb.Context(), oauth1.NewToken(c.AccessToken, c.AccessTokenSecret))
	return st, func(tb testing.TB) {
		resp, err := hc.Get(srv.URL + "/rest/V1/products?searchCriteria[pageSize]=20")
		if err != nil {
			tb.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			tb.Fatalf("signed GET = %d, want 200", resp.StatusCode)
		}
	}
}
