package webapi_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/magekit/magekit/twofactor"
	"github.com/magekit/magekit/webapi"
)

// googleSecret is the test admin's Google Authenticator secret.
const googleSecret = "JBSWY3DPEHPK3PXP"

// TestTwoFactor checks docs/magento-fidelity.md §5 over HTTP: with
// Magento_TwoFactorAuth on, the admin token route answers what
// AdminAccessTokenService answers, and the Google route issues the token
// for a valid code.
func TestTwoFactor(t *testing.T) {
	e := newEnv(t, func(c *webapi.Config) { c.TwoFactor = twofactor.NewGoogle() })
	e.clock.mu.Lock()
	e.clock.t = time.Unix(1_700_000_015, 0) // 15 s into a period
	e.clock.mu.Unlock()
	key, err := twofactor.DecodeSecret(googleSecret)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	code := func(d time.Duration) string { return twofactor.TOTP(key, now.Add(d)) }
	const (
		signInFailed = `{"message":"The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."}`
		configure    = `{"message":"You are required to configure personal Two-Factor Authorization in order to login. Please check your email.","parameters":{"providers":["google"],"active_providers":[]}}`
		useProviders = `{"message":"Please use the 2fa provider-specific endpoints to obtain a token.","parameters":{"active_providers":["google"]}}`
		notAllowed   = `{"message":"Provider is not allowed."}`
		notConfig    = `{"message":"Provider is not configured."}`
		invalidCode  = `{"message":"Invalid code."}`
	)
	creds := func(extra string) string { return `{"username":"admin","password":"magento123"` + extra + `}` }
	type step struct {
		name, path, body string
		status           int
		want             string // "" for a token
	}
	run := func(steps []step) {
		t.Helper()
		for _, s := range steps {
			resp := e.postJSON(s.path, s.body)
			if s.want == "" {
				var token string
				if resp.status != 200 || json.Unmarshal([]byte(resp.body), &token) != nil {
					t.Errorf("%s: %d %s, want a token", s.name, resp.status, resp.body)
					continue
				}
				if r := e.do("GET", "/rest/V1/store/storeViews", "", "Authorization: Bearer "+token); r.status != 200 {
					t.Errorf("%s: the token is refused: %d %s", s.name, r.status, r.body)
				}
				continue
			}
			if resp.status != s.status || resp.body != s.want {
				t.Errorf("%s: %d %s\nwant %d %s", s.name, resp.status, resp.body, s.status, s.want)
			}
		}
	}
	const (
		adminToken = "/rest/V1/integration/admin/token"
		google     = "/rest/V1/tfa/provider/google/authenticate"
	)
	run([]step{
		{"token, not configured", adminToken, creds(""), 400, configure},
		{"token, wrong password", adminToken, `{"username":"admin","password":"nope"}`, 401, signInFailed},
		{"token, no password", adminToken, `{"username":"admin"}`, 400, required("password")},
		{"google, not configured", google, creds(`,"otp":"` + code(0) + `"`), 400, notConfig},
		{"google, no otp", google, creds(""), 400, required("otp")},
		{"authy", "/rest/V1/tfa/provider/authy/authenticate", creds(`,"otp":"1"`), 400, notAllowed},
		{"authy send-token", "/rest/V1/tfa/provider/authy/send-token/sms", creds(""), 400, notAllowed},
		{"u2f", "/rest/V1/tfa/provider/u2fkey/verify", creds(`,"publicKeyCredentialJson":"{}"`), 400, notAllowed},
		{"duo", "/rest/V1/tfa/provider/duo_security/authenticate", creds(`,"signatureResponse":"x"`), 400, notAllowed},
		{"duo, wrong password", "/rest/V1/tfa/provider/duo_security/authenticate", `{"username":"admin","password":"nope","signatureResponse":"x"}`, 401, signInFailed},
	})

	if err := e.srv.SetGoogleSecret(t.Context(), "admin", googleSecret); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetGoogleSecret(t.Context(), "nobody", googleSecret); err == nil {
		t.Error("SetGoogleSecret of an unknown user succeeded")
	}
	if err := e.srv.SetGoogleSecret(t.Context(), "admin", "not base32!"); err == nil {
		t.Error("SetGoogleSecret accepted a secret that is not Base32")
	}
	// The XML renderer writes the provider list as Magento's does: one
	// item element per entry.
	if r := e.postJSON(adminToken, creds(""), "Accept: application/xml"); r.status != 400 ||
		!strings.Contains(r.body, "<message>Please use the 2fa provider-specific endpoints to obtain a token.</message>") ||
		!strings.Contains(r.body, "<active_providers>\n      <item>google</item>\n    </active_providers>") {
		t.Errorf("XML answer = %d %s", r.status, r.body)
	}
	run([]step{
		{"token, configured", adminToken, creds(""), 400, useProviders},
		{"google, current code", google, creds(`,"otp":"` + code(0) + `"`), 200, ""},
		{"google, code of the window before", google, creds(`,"otp":"` + code(-29*time.Second) + `"`), 200, ""},
		{"google, code of the window after", google, creds(`,"otp":"` + code(29*time.Second) + `"`), 200, ""},
		{"google, code of two periods ago", google, creds(`,"otp":"` + code(-60*time.Second) + `"`), 401, invalidCode},
		{"google, wrong code", google, creds(`,"otp":"000000"`), 401, invalidCode},
		{"google, empty code", google, creds(`,"otp":""`), 401, invalidCode},
		{"google, wrong password", google, `{"username":"admin","password":"nope","otp":"` + code(0) + `"}`, 401, signInFailed},
	})
	if code(-60*time.Second) == code(0) || code(0) == "000000" {
		t.Fatal("the chosen time gives colliding codes; pick another")
	}

	// Reset keeps the admin user's secret; an empty secret removes it.
	if err := e.srv.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	run([]step{{"token after reset", adminToken, creds(""), 400, useProviders}})
	if err := e.srv.SetGoogleSecret(t.Context(), "admin", ""); err != nil {
		t.Fatal(err)
	}
	run([]step{{"token after removal", adminToken, creds(""), 400, configure}})
}

// TestTwoFactorOff checks that without Config.TwoFactor the admin token
// route issues tokens and the Google route is only a route.
func TestTwoFactorOff(t *testing.T) {
	e := newEnv(t, nil)
	_ = e.adminToken()
	if err := e.srv.SetGoogleSecret(t.Context(), "admin", googleSecret); err == nil {
		t.Error("SetGoogleSecret succeeded with two-factor authentication off")
	}
	resp := e.postJSON("/rest/V1/tfa/provider/google/authenticate", `{"username":"admin","password":"magento123","otp":"1"}`)
	if resp.status != 200 || resp.body != noFixture("POST", "/V1/tfa/provider/google/authenticate") {
		t.Errorf("google route with 2FA off = %d %s", resp.status, resp.body)
	}
}

// TestTwoFactorConcurrent sets and reads secrets from many goroutines
// while the Google route checks codes, for the race detector: every
// sign-in with the secret in place succeeds.
func TestTwoFactorConcurrent(t *testing.T) {
	tfa := twofactor.NewGoogle()
	e := newEnv(t, func(c *webapi.Config) { c.TwoFactor = tfa })
	if err := e.srv.SetGoogleSecret(t.Context(), "admin", googleSecret); err != nil {
		t.Fatal(err)
	}
	key, err := twofactor.DecodeSecret(googleSecret)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"username":"admin","password":"magento123","otp":"` + twofactor.TOTP(key, e.clock.Now()) + `"}`
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 20 {
				_ = tfa.SetSecret(int64(100+i), googleSecret) // other users
				_ = tfa.Configured(int64(100 + j))
			}
		}()
		go func() {
			defer wg.Done()
			for range 5 {
				if resp := e.postJSON("/rest/V1/tfa/provider/google/authenticate", body); resp.status != 200 {
					t.Errorf("google authenticate = %d %s", resp.status, resp.body)
				}
			}
		}()
	}
	wg.Wait()
}
