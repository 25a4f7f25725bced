package webapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/webapi"
)

// TestHandshake runs Magento's token exchange end to end: activation posts
// the consumer credentials to the third party's endpoint, which completes
// /oauth/token/request and /oauth/token/access with dghubble/oauth1 and
// then calls the REST API signed.
func TestHandshake(t *testing.T) {
	e := newEnv(t, nil)
	posted := make(chan url.Values, 1)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		posted <- r.PostForm
	}))
	defer endpoint.Close()
	ctx := t.Context()
	in, err := e.svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: endpoint.URL, IdentityLinkURL: endpoint.URL + "/link",
		Resources: []string{"Magento_Catalog::products"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Activate(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	form := <-posted
	client := &http.Client{Transport: integrationtest.ConfirmCallback(nil)}
	cfg := &oauth1.Config{
		ConsumerKey:    form.Get("oauth_consumer_key"),
		ConsumerSecret: form.Get("oauth_consumer_secret"),
		CallbackURL:    "oob",
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: e.http.URL + "/oauth/token/request",
			AccessTokenURL:  e.http.URL + "/oauth/token/access",
		},
		Signer:     &oauth1.HMAC256Signer{ConsumerSecret: form.Get("oauth_consumer_secret")},
		HTTPClient: client,
	}

	// A wrong secret fails, and the journal gets the server's base string.
	bad := *cfg
	bad.Signer = &oauth1.HMAC256Signer{ConsumerSecret: strings.Repeat("0", 32)}
	if _, _, err := bad.RequestToken(); err == nil {
		t.Fatal("RequestToken with a wrong secret succeeded")
	}
	if ev := e.lastEvent(); ev.Outcome != webapi.OutcomeToken || ev.Status != 401 || !strings.HasPrefix(ev.BaseString, "POST&http%3A%2F%2F") {
		t.Errorf("failed request token event = %+v", ev)
	}

	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatalf("RequestToken() = %v", err)
	}
	if ev := e.lastEvent(); ev.Outcome != webapi.OutcomeToken || ev.Status != 200 || ev.Err != nil {
		t.Errorf("request token event = %+v", ev)
	}
	at, as, err := cfg.AccessToken(rt, rs, form.Get("oauth_verifier"))
	if err != nil {
		t.Fatalf("AccessToken() = %v", err)
	}
	signed := cfg.Client(context.WithValue(ctx, oauth1.HTTPClient, client), oauth1.NewToken(at, as))
	req, _ := http.NewRequest("GET", e.http.URL+"/rest/V1/products?searchCriteria[pageSize]=5", nil)
	if resp := e.send(signed, req); resp.status != 200 || resp.body != noFixture("GET", "/V1/products") {
		t.Errorf("signed GET after the handshake = %d %s", resp.status, resp.body)
	}
	if ev := e.lastEvent(); ev.Caller.ID != in.ID {
		t.Errorf("caller = %+v, want integration %d", ev.Caller, in.ID)
	}
}
