// Package integrationtest runs an emulated Magento 2.4.7 store inside Go
// tests, as net/http/httptest runs a server: the same [emulator.Emulator]
// as the standalone emulator (go run ./examples/emulator), on a loopback
// listener, closed when the test ends.
//
// A [Server] serves Magento's REST routes, /oauth/token/request and
// /oauth/token/access, the emulator's control routes and the
// success_call_back page. It also plays the third party's side of the
// activation handshake: [Server.EndpointURL] receives the credential POST
// (docs/magento-behaviour.md §5.2.1) and [Server.IdentityLinkURL] completes the handshake with
// github.com/dghubble/oauth1, an OAuth client independent of this module.
// [Server.Activate] therefore activates an integration exactly as a
// store's admin and a third party would, and [Server.SignedClient] signs
// calls with the credentials it returns.
//
// Options seed the store when it starts ([WithIntegration],
// [WithActiveIntegration], [WithFixture], [WithConfig]) or choose how it
// behaves ([WithProfile], [WithRequirePassword], [WithStore],
// [WithLogger]). A Server stores no testing.TB: as with httptest, each
// helper that can fail takes the testing.TB it fails with t.Fatalf, the
// test's or a subtest's, and must be called from that test's goroutine.
//
// # Usage
//
//	func TestConnector(t *testing.T) {
//		srv := integrationtest.NewServer(t, integrationtest.WithFixture(webapi.Fixture{
//			Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"items":[],"total_count":0}`),
//		}))
//		in := srv.CreateIntegration(t, integration.Integration{
//			Name: "ERP", AllResources: true,
//			Endpoint: srv.EndpointURL, IdentityLinkURL: srv.IdentityLinkURL,
//		})
//		creds := srv.Activate(t, in.ID) // credential POST, request and access tokens
//		resp, err := srv.SignedClient(creds).Get(srv.URL + "/rest/V1/products?searchCriteria[pageSize]=20")
//		// ... the connector under test would use srv.BaseURL and creds
//		for _, e := range srv.Journal() {
//			t.Log(e.Method, e.Path, e.Who, e.Outcome, e.Status)
//		}
//	}
//
// For credentials a test can hard-code, [Server.CreateActiveIntegration]
// (or [WithActiveIntegration]) creates an integration Active with the four
// given values.
package integrationtest
