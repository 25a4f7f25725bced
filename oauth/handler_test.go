package oauth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
)

func TestMiddleware(t *testing.T) {
	f := newFixture(t, oauth.Config{})
	at := f.accessToken()
	h := f.provider.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g, ok := oauth.IdentityFromContext(r.Context()); ok {
			fmt.Fprintf(w, "consumer %d token %d", g.ConsumerID, g.TokenID)
			return
		}
		fmt.Fprint(w, "guest")
	}))
	cases := []struct {
		name   string
		req    *http.Request
		status int
		body   string
	}{
		{"signed", signed(t, signature.Magento247, http.MethodGet, restURL, f.oauthParams(f.consumer, at.Token, ""), f.consumer.Secret, at.Secret),
			200, fmt.Sprintf("consumer %d token %d", f.consumer.ID, at.ID)},
		{"guest", httptest.NewRequest(http.MethodGet, restURL, nil), 200, "guest"},
		{"bad signature", signed(t, signature.Magento247, http.MethodGet, restURL, f.oauthParams(f.consumer, at.Token, ""), f.consumer.Secret, "x"),
			401, `{"message":"The signature is invalid. Verify and try again."}`},
		{"sha1", signed(t, signature.Magento247, http.MethodGet, restURL, set(f.oauthParams(f.consumer, at.Token, ""), signature.ParamSignatureMethod, signature.HMACSHA1), f.consumer.Secret, at.Secret),
			400, `{"message":"Signature method %1 is not supported","parameters":["HMAC-SHA1"]}`},
		{"missing", signed(t, signature.Magento247, http.MethodGet, restURL, drop(drop(f.oauthParams(f.consumer, at.Token, ""), signature.ParamNonce), signature.ParamToken), f.consumer.Secret, at.Secret),
			400, `{"message":"One or more input exceptions have occurred.","errors":[{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_nonce"}},{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_token"}}]}`},
	}
	for _, tc := range cases {
		status, body := serve(h, tc.req)
		if status != tc.status || body != tc.body {
			t.Errorf("Middleware(%s) = %d %s, want %d %s", tc.name, status, body, tc.status, tc.body)
		}
	}
	if _, ok := oauth.IdentityFromContext(oauth.WithIdentity(t.Context(), oauth.Identity{ConsumerID: 1})); !ok {
		t.Errorf("IdentityFromContext(WithIdentity(...)) found nothing")
	}
}
