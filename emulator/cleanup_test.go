package emulator_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/oauth/signature"
)

// TestEmulatorNonceCleanup checks that the emulator's provider runs
// Magento's cleanup from the live config (oauth/cleanup/*, docs/magento-behaviour.md §3.4): a
// captured request with a three-hour-old timestamp is refused as a replay
// while its nonce is kept, and accepted again once a cleanup with a
// 60-minute period has run.
func TestEmulatorNonceCleanup(t *testing.T) {
	h := newEmuHarness(t, nil)
	h.adminOK("POST", "/rest/V1/integrations", `{"integration":{"name":"ERP","all_resources":true,"credentials":`+emuCredsJSON+`}}`, nil)
	const path = "/rest/V1/store/storeConfigs"
	sign := func(nonce string, ts time.Time) string {
		params := []signature.Param{
			{Name: signature.ParamConsumerKey, Value: emuCreds.ConsumerKey},
			{Name: signature.ParamNonce, Value: nonce},
			{Name: signature.ParamSignatureMethod, Value: signature.HMACSHA256},
			{Name: signature.ParamTimestamp, Value: strconv.FormatInt(ts.Unix(), 10)},
			{Name: signature.ParamToken, Value: emuCreds.AccessToken},
			{Name: signature.ParamVersion, Value: "1.0"},
		}
		base, err := signature.Magento247.BaseString(http.MethodGet, h.srv.URL+path, params)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := signature.Magento247.Sign(signature.HMACSHA256, base, emuCreds.ConsumerSecret, emuCreds.AccessTokenSecret)
		if err != nil {
			t.Fatal(err)
		}
		return signature.AuthorizationHeader(append(params, signature.Param{Name: signature.ParamSignature, Value: sig}))
	}
	get := func(auth string) emuReply { return h.do("GET", path, "", "Authorization: "+auth) }
	setConfig := func(body string) { h.adminOK("PUT", "/rest/V1/emulator/config", `{"config":`+body+`}`, nil) }

	captured := sign("captured", time.Now().Add(-3*time.Hour))
	setConfig(`{"oauth/cleanup/cleanup_probability":"0"}`)
	if r := get(captured); r.status != http.StatusOK {
		t.Fatalf("first use = %d %s, want 200", r.status, r.body)
	}
	if r := get(captured); r.status != http.StatusUnauthorized {
		t.Fatalf("replay without cleanup = %d %s, want 401", r.status, r.body)
	}

	setConfig(`{"oauth/cleanup/cleanup_probability":"1","oauth/cleanup/expiration_period":"60"}`)
	if r := get(sign("fresh", time.Now())); r.status != http.StatusOK {
		t.Fatalf("fresh request = %d %s, want 200", r.status, r.body)
	}
	setConfig(`{"oauth/cleanup/cleanup_probability":"0"}`)
	if r := get(captured); r.status != http.StatusOK {
		t.Errorf("replay after cleanup = %d %s, want 200 (the nonce was forgotten, as Magento forgets it)", r.status, r.body)
	}
}
