package emulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/emulator/journal"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integration/xmlconfig"
	"github.com/magekit/magekit/twofactor"
)

// emuGoogleSecret is the admin's Google Authenticator secret in these
// tests.
const emuGoogleSecret = "JBSWY3DPEHPK3PXP"

// emuRequired is Magento's answer for one missing parameter.
func emuRequired(field string) string {
	return `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"` + field + `"}}`
}

// googleToken signs the admin in through the Google provider with the
// current code of secret.
func googleToken(h *emuHarness, secret string) emuReply {
	h.t.Helper()
	key, err := twofactor.DecodeSecret(secret)
	if err != nil {
		h.t.Fatal(err)
	}
	body := `{"username":"admin","password":"magento123","otp":"` + twofactor.TOTP(key, time.Now()) + `"}`
	return h.do("POST", "/rest/V1/tfa/provider/google/authenticate", body, "Content-Type: application/json")
}

// TestEmulatorTwoFactor checks -two-factor over HTTP: the admin token
// route sends the admin to the provider routes, the Google route issues
// the token, and the control route changes the secret
// (docs/magento-fidelity.md §5).
func TestEmulatorTwoFactor(t *testing.T) {
	h := newEmuHarness(t, func(c *emulator.Config) { c.TwoFactor, c.AdminGoogleSecret = true, emuGoogleSecret })
	const (
		useProviders = `{"message":"Please use the 2fa provider-specific endpoints to obtain a token.","parameters":{"active_providers":["google"]}}`
		configure    = `{"message":"You are required to configure personal Two-Factor Authorization in order to login. Please check your email.","parameters":{"providers":["google"],"active_providers":[]}}`
	)
	creds := `{"username":"admin","password":"magento123"}`
	if r := h.do("POST", "/rest/V1/integration/admin/token", creds, "Content-Type: application/json"); r.status != 400 || r.body != useProviders {
		t.Fatalf("admin token = %d %s", r.status, r.body)
	}
	r := googleToken(h, emuGoogleSecret)
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &h.token) != nil {
		t.Fatalf("google authenticate = %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"nothing", `{}`, 400, `{"message":"One or more input exceptions have occurred.","errors":[` + emuRequired("username") + "," + emuRequired("secret") + `]}`},
		{"no secret", `{"username":"admin"}`, 400, emuRequired("secret")},
		{"not Base32", `{"username":"admin","secret":"0189"}`, 400, `{"message":"` + emulator.MsgGoogleSecret + `"}`},
		{"unknown user", `{"username":"nobody","secret":"` + emuGoogleSecret + `"}`, 404,
			`{"message":"No such entity with %fieldName = %fieldValue","parameters":{"fieldName":"username","fieldValue":"nobody"}}`},
		{"secret removed", `{"username":"admin","secret":""}`, 200, "true"},
	} {
		if r := h.admin("PUT", "/rest/V1/emulator/tfa/google", tc.body); r.status != tc.status || r.body != tc.want {
			t.Errorf("%s: %d %s, want %d %s", tc.name, r.status, r.body, tc.status, tc.want)
		}
	}
	if r := h.do("POST", "/rest/V1/integration/admin/token", creds, "Content-Type: application/json"); r.status != 400 || r.body != configure {
		t.Errorf("admin token without a secret = %d %s", r.status, r.body)
	}
	const other = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	h.adminOK("PUT", "/rest/V1/emulator/tfa/google", `{"username":"admin","secret":"`+other+`"}`, nil)
	if r := googleToken(h, other); r.status != http.StatusOK {
		t.Errorf("google authenticate with the new secret = %d %s", r.status, r.body)
	}
	// The secret is not journaled.
	var journal []journal.Entry
	h.adminOK("GET", "/rest/V1/emulator/journal", "", &journal)
	b, _ := json.Marshal(journal)
	if strings.Contains(string(b), other) || strings.Contains(string(b), emuGoogleSecret) {
		t.Errorf("the journal holds a secret: %s", b)
	}
}

// TestEmulatorTwoFactorConfig checks the configurations New refuses and
// the control route without two-factor authentication.
func TestEmulatorTwoFactorConfig(t *testing.T) {
	for _, c := range []emulator.Config{
		{AdminGoogleSecret: emuGoogleSecret},
		{TwoFactor: true, AdminGoogleSecret: "not base32!"},
		{StoreCodes: []string{"admin"}},
	} {
		if _, err := emulator.New(t.Context(), c); err == nil {
			t.Errorf("New(%+v) succeeded", c)
		}
	}
	h := newEmuHarness(t, nil)
	r := h.admin("PUT", "/rest/V1/emulator/tfa/google", `{"username":"admin","secret":"`+emuGoogleSecret+`"}`)
	if want := `{"message":"` + emulator.MsgTwoFactorOff + `"}`; r.status != 400 || r.body != want {
		t.Errorf("control route with two-factor off = %d %s", r.status, r.body)
	}
}

// TestEmulatorStoreCodes checks the StoreCodes option
// (docs/magento-fidelity.md §1).
func TestEmulatorStoreCodes(t *testing.T) {
	h := newEmuHarness(t, func(c *emulator.Config) { c.StoreCodes = []string{"default", "de"} })
	for path, want := range map[string]int{
		"/rest/de/V1/store/storeViews":      200,
		"/rest/default/V1/store/storeViews": 200,
		"/rest/all/V1/store/storeViews":     200,
		"/rest/fr/V1/store/storeViews":      400,
		"/rest/admin/V1/store/storeViews":   400,
	} {
		if r := h.admin("GET", path, ""); r.status != want {
			t.Errorf("GET %s = %d %s, want %d", path, r.status, r.body, want)
		}
	}
}

// TestReprovisionedIntegrationIsGuest checks docs/magento-fidelity.md §4
// over HTTP: a config integration re-created by provisioning leaves its
// old consumer and token, so a call signed with them passes the signature
// checks and is a guest; after the emulator's reset the consumer is gone.
func TestReprovisionedIntegrationIsGuest(t *testing.T) {
	h := newEmuHarness(t, nil)
	ci := xmlconfig.Integration{Name: "AcmeSync", Email: "ops@acme.example", Resources: []string{"Magento_Catalog::products"}}
	res, err := h.emu.Service().Provision(t.Context(), []xmlconfig.Integration{ci})
	if err != nil {
		t.Fatal(err)
	}
	var direct struct {
		ConsumerKey       string `json:"consumer_key"`
		ConsumerSecret    string `json:"consumer_secret"`
		AccessToken       string `json:"access_token"`
		AccessTokenSecret string `json:"access_token_secret"`
	}
	h.adminOK("POST", fmt.Sprintf("/rest/V1/integrations/%d/activate", res.Integrations[0].ID), "", &direct)
	client := emuSigned(integration.Credentials{ConsumerKey: direct.ConsumerKey, ConsumerSecret: direct.ConsumerSecret,
		AccessToken: direct.AccessToken, AccessTokenSecret: direct.AccessTokenSecret})
	get := func() (int, string) {
		resp, err := client.Get(h.srv.URL + "/rest/V1/products?searchCriteria[pageSize]=1")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get(); status != 200 {
		t.Fatalf("signed call before re-provisioning = %d %s", status, body)
	}

	ci.Resources = append(ci.Resources, "Magento_Sales::sales")
	res, err = h.emu.Service().Provision(t.Context(), []xmlconfig.Integration{ci})
	if err != nil || res.Integrations[0].Outcome != integration.OutcomeReset {
		t.Fatalf("second Provision = %+v, %v; want Reset", res, err)
	}
	deniedBody := `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Catalog::products"}}`
	if status, body := get(); status != 401 || body != deniedBody {
		t.Errorf("old signed call after re-provisioning = %d %s, want 401 %s", status, body, deniedBody)
	}

	h.adminOK("POST", "/rest/V1/emulator/reset", "", nil)
	if status, body := get(); status != 401 || !strings.Contains(body, "A consumer having the specified key does not exist") {
		t.Errorf("old signed call after reset = %d %s", status, body)
	}
}
