package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/emulator/journal"
	"github.com/magekit/magekit/integration"
)

// emuSigned returns a client signing as c with dghubble/oauth1.
func emuSigned(c integration.Credentials) *http.Client {
	cfg := &oauth1.Config{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret, Signer: &oauth1.HMAC256Signer{ConsumerSecret: c.ConsumerSecret}}
	return cfg.Client(context.Background(), oauth1.NewToken(c.AccessToken, c.AccessTokenSecret))
}

// TestJournal checks what the journal records of signed calls, good and
// bad, and that its JSON holds no secret.
func TestJournal(t *testing.T) {
	h := newEmuHarness(t, nil)
	in, err := h.emu.Service().CreateWithCredentials(t.Context(), integration.Integration{Name: "ERP", AllResources: true}, emuCreds)
	if err != nil {
		t.Fatal(err)
	}
	token := h.adminToken()
	h.adminOK("PUT", "/rest/V1/emulator/fixtures", `{"fixture":{"method":"GET","url":"/V1/products/:sku","body":{"sku":"24-MB01"}}}`, nil)

	get := func(c *http.Client, path string) int {
		resp, err := c.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get(emuSigned(emuCreds), "/rest/V1/products/24-MB01?storeId=1"); s != 200 {
		t.Fatalf("signed GET = %d", s)
	}
	bad := emuCreds
	bad.AccessTokenSecret = strings.Repeat("0", 32)
	if s := get(emuSigned(bad), "/rest/V1/products"); s != 401 {
		t.Fatalf("badly signed GET = %d, want 401", s)
	}

	// OAuth parameters and a password in the query: Magento ignores them,
	// the journal keeps the query but not their values.
	const querySig, queryPassword = "c2lnbmF0dXJlLXZhbHVl", "hunter2-in-the-query"
	if s := get(http.DefaultClient, "/rest/V1/products?oauth_signature="+querySig+"&password="+queryPassword+"&storeId=1"); s != 401 {
		t.Fatalf("guest GET with OAuth query parameters = %d, want 401", s)
	}

	r := h.admin("GET", "/rest/V1/emulator/journal", "")
	var entries []journal.Entry
	if err := json.Unmarshal([]byte(r.body), &entries); err != nil || r.status != 200 {
		t.Fatalf("journal: %d %v %s", r.status, err, r.body)
	}
	if len(entries) != 5 {
		t.Fatalf("journal has %d entries, want 5 (token, fixture, good, bad, query): %s", len(entries), r.body)
	}
	if q := entries[4].Query; q != "oauth_signature=REDACTED&password=REDACTED&storeId=1" {
		t.Errorf("journaled query = %q, want the sensitive values redacted", q)
	}
	good, failed := entries[2], entries[3]
	if good.Who != "integration" || good.IntegrationID != in.ID || good.Credential != "oauth" || good.Outcome != "fixture" ||
		good.Status != 200 || good.Route != "/V1/products/:sku" || good.Path != "/rest/V1/products/24-MB01" || good.Query != "storeId=1" ||
		good.Message != "" || good.BaseString != "" {
		t.Errorf("signed call entry = %+v", good)
	}
	if failed.Who != "guest" || failed.Outcome != "auth_failed" || failed.Status != 401 ||
		failed.Message != "The signature is invalid. Verify and try again." || !strings.HasPrefix(failed.BaseString, "GET&http%3A%2F%2F") {
		t.Errorf("failed call entry = %+v", failed)
	}
	if entries[1].Who != "admin" || entries[1].UserID != 1 || entries[1].Credential != "admin-token" || entries[1].Route != "/V1/emulator/fixtures" {
		t.Errorf("control call entry = %+v", entries[1])
	}
	for _, secret := range []string{emuCreds.ConsumerSecret, emuCreds.AccessTokenSecret, bad.AccessTokenSecret, token, "magento123", querySig, queryPassword} {
		if strings.Contains(r.body, secret) {
			t.Errorf("the journal holds the secret %q: %s", secret, r.body)
		}
	}
}

// TestJournalSize checks that Config.JournalSize bounds the
// journal to the most recent requests.
func TestJournalSize(t *testing.T) {
	h := newEmuHarness(t, func(c *emulator.Config) { c.JournalSize = 2 })
	for _, p := range []string{"/a", "/b", "/c", "/d"} {
		h.do("GET", p, "")
	}
	j := h.emu.Journal()
	if len(j) != 2 || j[0].Path != "/c" || j[1].Path != "/d" {
		t.Errorf("journal = %+v, want /c then /d", j)
	}
}

// TestJournalHandlerErrors checks that errors answered by the built-in
// services (here the admin token service) reach the journal with their
// message, and that the password tried does not.
func TestJournalHandlerErrors(t *testing.T) {
	h := newEmuHarness(t, nil)
	const tried = "not-the-password-42"
	r := h.do("POST", "/rest/V1/integration/admin/token", `{"username":"admin","password":"`+tried+`"}`, "Content-Type: application/json")
	if r.status != http.StatusUnauthorized {
		t.Fatalf("admin token with a wrong password = %d %s, want 401", r.status, r.body)
	}
	j := h.admin("GET", "/rest/V1/emulator/journal", "")
	var entries []journal.Entry
	if err := json.Unmarshal([]byte(j.body), &entries); err != nil || len(entries) == 0 {
		t.Fatalf("journal: %v %s", err, j.body)
	}
	e := entries[0]
	var answered struct{ Message string }
	if err := json.Unmarshal([]byte(r.body), &answered); err != nil {
		t.Fatal(err)
	}
	if e.Route != "/V1/integration/admin/token" || e.Outcome != "handler" || e.Status != http.StatusUnauthorized || e.Message != answered.Message || e.Message == "" {
		t.Errorf("journal entry of the refused admin token = %+v, want outcome handler, 401, message %q", e, answered.Message)
	}
	if strings.Contains(j.body, tried) {
		t.Errorf("the journal holds the password tried: %s", j.body)
	}
}
