package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth/signature"
)

// filtersPath has filter indexes 2 and 10, which dghubble/oauth1 sorts in
// byte order and Magento in natural order.
const filtersPath = "/rest/V1/products?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B2%5D%5Bfield%5D=name" +
	"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B10%5D%5Bfield%5D=sku"

// toHTTP sends a request signed for an https URL over http, as a client
// behind a TLS-terminating proxy that sets no X-Forwarded-Proto does.
type toHTTP struct{}

func (toHTTP) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme = "http"
	return http.DefaultTransport.RoundTrip(r)
}

// TestJournalDiagnosis checks that the journal names the rule a client
// broke on a REST call and on a token endpoint, with the client's base
// string redacted, and nothing when the doctor is off.
func TestJournalDiagnosis(t *testing.T) {
	for _, off := range []bool{false, true} {
		h := newEmuHarness(t, func(c *emulator.Config) { c.NoSignatureDiagnosis = off })
		_, err := h.emu.Service().CreateWithCredentials(t.Context(), integration.Integration{Name: "ERP", AllResources: true}, emuCreds)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := emuSigned(emuCreds).Get(h.srv.URL + filtersPath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("GET with filters 2 and 10 signed by dghubble = %d, want 401", resp.StatusCode)
		}

		// The request-token step, signed for https and sent over http.
		cfg := &oauth1.Config{ConsumerKey: emuCreds.ConsumerKey, ConsumerSecret: emuCreds.ConsumerSecret, CallbackURL: "oob",
			Endpoint:   oauth1.Endpoint{RequestTokenURL: strings.Replace(h.srv.URL, "http:", "https:", 1) + "/oauth/token/request"},
			Signer:     &oauth1.HMAC256Signer{ConsumerSecret: emuCreds.ConsumerSecret},
			HTTPClient: &http.Client{Transport: toHTTP{}}}
		if _, _, err := cfg.RequestToken(); err == nil {
			t.Fatal("request token signed for https over http succeeded")
		}

		entries := h.emu.Journal()
		for i, want := range []string{signature.RuleByteOrderSort, signature.RuleHTTPSSignedForHTTP} {
			e := entries[len(entries)-2+i]
			if e.Status != http.StatusUnauthorized || e.BaseString == "" {
				t.Fatalf("entry %+v, want a signature failure", e)
			}
			if off {
				if e.Diagnosis != nil {
					t.Errorf("NoSignatureDiagnosis: entry has diagnosis %+v", e.Diagnosis)
				}
				continue
			}
			d := e.Diagnosis
			if d == nil || d.Rule != want || d.Explanation == "" || d.ClientBaseString == "" || d.ClientBaseString == e.BaseString {
				t.Fatalf("%s %s: diagnosis %+v, want rule %s and the client's base string", e.Method, e.Path, d, want)
			}
			if i == 0 && (!strings.Contains(d.ClientBaseString, "oauth_token%3DREDACTED") || strings.Contains(d.ClientBaseString, emuCreds.AccessToken)) {
				t.Errorf("client base string %q: want the token redacted", d.ClientBaseString)
			}
		}
	}
}
