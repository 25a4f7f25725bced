package oauth_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
)

// TestSentinels checks that the provider's failures match their exported
// sentinels with errors.Is (class and template, whatever the parameters)
// and no other sentinel.
func TestSentinels(t *testing.T) {
	sentinels := []error{oauth.ErrVersion, oauth.ErrSignatureMethod, oauth.ErrNonceUsed, oauth.ErrSignatureInvalid,
		oauth.ErrConsumerMissing, oauth.ErrRevoked, oauth.ErrNotAccess, oauth.ErrTokenNotExist}
	f := newFixture(t, oauth.Config{})
	at := f.accessToken()
	ctx := t.Context()
	verify := func(ps []signature.Param, tokenSecret string) error {
		_, err := f.provider.Verify(ctx, signed(t, signature.Magento247, http.MethodGet, restURL, ps, f.consumer.Secret, tokenSecret))
		return err
	}
	once := set(f.oauthParams(f.consumer, at.Token, ""), signature.ParamNonce, "once")
	if err := verify(once, at.Secret); err != nil {
		t.Fatalf("first use: %v", err)
	}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"replayed nonce", verify(once, at.Secret), oauth.ErrNonceUsed},
		{"bad signature", verify(f.oauthParams(f.consumer, at.Token, ""), "wrong"), oauth.ErrSignatureInvalid},
		{"HMAC-SHA1", verify(set(f.oauthParams(f.consumer, at.Token, ""), signature.ParamSignatureMethod, signature.HMACSHA1), at.Secret), oauth.ErrSignatureMethod},
		{"version 2.0", verify(set(f.oauthParams(f.consumer, at.Token, ""), signature.ParamVersion, "2.0"), at.Secret), oauth.ErrVersion},
		{"unknown token", verify(f.oauthParams(f.consumer, "00000000000000000000000000000000", ""), at.Secret), oauth.ErrTokenNotExist},
	}
	for _, tc := range cases {
		for _, s := range sentinels {
			if got := errors.Is(tc.err, s); got != (s == tc.want) {
				t.Errorf("%s: errors.Is(%v, %v) = %v", tc.name, tc.err, s, got)
			}
		}
	}
}
