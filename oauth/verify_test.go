package oauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/memstore"
)

func TestVerify(t *testing.T) {
	type result struct {
		msg    string
		status int
	}
	verifyReq := func(f *fixture, at oauth.Token, mutate func([]signature.Param) []signature.Param, tokenSecret string) *http.Request {
		ps := f.oauthParams(f.consumer, at.Token, "")
		if mutate != nil {
			ps = mutate(ps)
		}
		return signed(f.t, signature.Magento247, http.MethodGet, restURL, ps, f.consumer.Secret, tokenSecret)
	}
	cases := []struct {
		name  string
		build func(f *fixture, at oauth.Token) *http.Request
		want  result // zero: success
		nope  bool   // ErrNotOAuth
	}{
		{name: "success", build: func(f *fixture, at oauth.Token) *http.Request { return verifyReq(f, at, nil, at.Secret) }},
		{name: "no header", build: func(*fixture, oauth.Token) *http.Request {
			return httptest.NewRequest(http.MethodGet, restURL+"?a=1", nil)
		}, nope: true},
		{name: "bearer", build: func(f *fixture, at oauth.Token) *http.Request {
			r := httptest.NewRequest(http.MethodGet, restURL, nil)
			r.Header.Set("Authorization", "Bearer "+at.Token)
			return r
		}, nope: true},
		{name: "no token", build: func(f *fixture, at oauth.Token) *http.Request {
			return verifyReq(f, at, func(ps []signature.Param) []signature.Param { return drop(ps, signature.ParamToken) }, "")
		}, want: result{`"oauth_token" is required. Enter and try again.`, 400}},
		{name: "unknown token", build: func(f *fixture, at oauth.Token) *http.Request {
			return verifyReq(f, at, func(ps []signature.Param) []signature.Param {
				return set(ps, signature.ParamToken, "0123456789abcdef0123456789abcdef")
			}, at.Secret)
		}, want: result{"Specified token does not exist", 401}},
		{name: "token of another consumer", build: func(f *fixture, at oauth.Token) *http.Request {
			other := f.newConsumer("integration2")
			f.issueVerifier(other.ID)
			rt, err := f.provider.RequestToken(t.Context(), signed(f.t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(other, "", ""), other.Secret, ""))
			if err != nil {
				f.t.Fatal(err)
			}
			return verifyReq(f, at, func(ps []signature.Param) []signature.Param { return set(ps, signature.ParamToken, rt.Token) }, rt.Secret)
		}, want: result{"Token is not associated with the specified consumer", 401}},
		{name: "request token", build: func(f *fixture, _ oauth.Token) *http.Request {
			other := f.newConsumer("integration2")
			f.issueVerifier(other.ID)
			rt, err := f.provider.RequestToken(t.Context(), signed(f.t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(other, "", ""), other.Secret, ""))
			if err != nil {
				f.t.Fatal(err)
			}
			return signed(f.t, signature.Magento247, http.MethodGet, restURL, f.oauthParams(other, rt.Token, ""), other.Secret, rt.Secret)
		}, want: result{"Token is not an access token", 401}},
		{name: "revoked", build: func(f *fixture, at oauth.Token) *http.Request {
			rev := at
			rev.Revoked = true
			if err := f.store.UpdateToken(t.Context(), rev, oauth.TokenAccess); err != nil {
				f.t.Fatal(err)
			}
			return verifyReq(f, at, nil, at.Secret)
		}, want: result{"Access token has been revoked", 401}},
		{name: "bad signature", build: func(f *fixture, at oauth.Token) *http.Request { return verifyReq(f, at, nil, "wrong") },
			want: result{"The signature is invalid. Verify and try again.", 401}},
		{name: "HMAC-SHA1", build: func(f *fixture, at oauth.Token) *http.Request {
			return verifyReq(f, at, func(ps []signature.Param) []signature.Param {
				return set(ps, signature.ParamSignatureMethod, signature.HMACSHA1)
			}, at.Secret)
		}, want: result{"Signature method HMAC-SHA1 is not supported", 400}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, oauth.Config{})
			at := f.accessToken()
			r := tc.build(f, at)
			g, err := f.provider.Verify(t.Context(), r)
			switch {
			case tc.nope:
				if !errors.Is(err, oauth.ErrNotOAuth) {
					t.Fatalf("Verify(%s) = %v, want ErrNotOAuth", tc.name, err)
				}
			case tc.want == result{}:
				if want := (oauth.Identity{ConsumerID: f.consumer.ID, TokenID: at.ID}); err != nil || g != want {
					t.Fatalf("Verify(%s) = %+v, %v, want %+v", tc.name, g, err, want)
				}
			default:
				var me *magerr.Error
				if !errors.As(err, &me) || me.Text() != tc.want.msg || me.Status() != tc.want.status {
					t.Fatalf("Verify(%s) = %v, want %q (%d)", tc.name, errText(err), tc.want.msg, tc.want.status)
				}
			}
		})
	}
}

// TestVerifySignatureError checks that a bad signature carries the base
// string the server computed, and nothing secret.
func TestVerifySignatureError(t *testing.T) {
	f := newFixture(t, oauth.Config{})
	at := f.accessToken()
	url := restURL + "?searchCriteria%5BpageSize%5D=10"
	r := signed(t, signature.Magento247, http.MethodGet, url, f.oauthParams(f.consumer, at.Token, ""), f.consumer.Secret, "not the secret")
	req, _ := signature.ReadRequest(r, "")
	params, _ := signature.Magento247.Params(req)
	want, _ := signature.Magento247.BaseString(http.MethodGet, url, params)

	_, err := f.provider.Verify(t.Context(), r)
	var se *oauth.SignatureError
	if !errors.As(err, &se) {
		t.Fatalf("Verify = %v, want a *SignatureError cause", err)
	}
	if se.BaseString != want {
		t.Errorf("SignatureError.BaseString = %q, want %q", se.BaseString, want)
	}
	if msg := err.Error(); msg != "The signature is invalid. Verify and try again." {
		t.Errorf("Verify error text = %q, want only Magento's message", msg)
	}
}

// TestNonceReplay checks that a nonce is accepted once per consumer, that
// another consumer may use it, and that a bad signature burns it.
func TestNonceReplay(t *testing.T) {
	f := newFixture(t, oauth.Config{})
	at := f.accessToken()
	ctx := t.Context()
	withNonce := func(c oauth.Consumer, token, nonce, tokenSecret string) *http.Request {
		return signed(t, signature.Magento247, http.MethodGet, restURL, set(f.oauthParams(c, token, ""), signature.ParamNonce, nonce), c.Secret, tokenSecret)
	}
	if _, err := f.provider.Verify(ctx, withNonce(f.consumer, at.Token, "once", at.Secret)); err != nil {
		t.Fatalf("Verify(first use) = %v, want nil", err)
	}
	wantUsed := "The nonce is already being used by the consumer with ID " + strconv.FormatInt(f.consumer.ID, 10)
	if _, err := f.provider.Verify(ctx, withNonce(f.consumer, at.Token, "once", at.Secret)); errText(err) != wantUsed {
		t.Errorf("Verify(replay) = %v, want %q", err, wantUsed)
	}
	// A bad signature still burns its nonce.
	if _, err := f.provider.Verify(ctx, withNonce(f.consumer, at.Token, "burnt", "wrong")); errText(err) != "The signature is invalid. Verify and try again." {
		t.Errorf("Verify(bad signature) = %v, want the signature error", err)
	}
	if _, err := f.provider.Verify(ctx, withNonce(f.consumer, at.Token, "burnt", at.Secret)); errText(err) != wantUsed {
		t.Errorf("Verify(burnt nonce, good signature) = %v, want %q", err, wantUsed)
	}
	// Uniqueness is per consumer.
	other := f.newConsumer("integration2")
	f.issueVerifier(other.ID)
	rt, err := f.provider.RequestToken(ctx, signed(t, signature.Magento247, http.MethodPost, requestURL, set(f.oauthParams(other, "", ""), signature.ParamNonce, "once"), other.Secret, ""))
	if err != nil {
		t.Fatalf("RequestToken(other consumer, same nonce) = %v, want nil", err)
	}
	_ = rt
	// A reused "0" or "" escapes Magento's truth test on the loaded row and
	// then fails on the insert: the masked message.
	for _, n := range []string{"0", ""} {
		if _, err := f.provider.Verify(ctx, withNonce(f.consumer, at.Token, n, at.Secret)); err != nil {
			t.Fatalf("Verify(nonce %q) = %v, want nil", n, err)
		}
		if _, err := f.provider.Verify(ctx, withNonce(f.consumer, at.Token, n, at.Secret)); errText(err) != "An error occurred validating the nonce" {
			t.Errorf("Verify(nonce %q again) = %v, want the masked nonce error", n, err)
		}
	}
}

// countingStore counts the hot-path store calls.
type countingStore struct {
	*memstore.Store
	reads, nonces, other atomic.Int32
}

func (c *countingStore) ConsumerToken(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, error) {
	c.reads.Add(1)
	return c.Store.ConsumerToken(ctx, key, token)
}

func (c *countingStore) UseNonce(ctx context.Context, consumerID int64, nonce string, timestamp int64) error {
	c.nonces.Add(1)
	return c.Store.UseNonce(ctx, consumerID, nonce, timestamp)
}

func (c *countingStore) Consumer(ctx context.Context, id int64) (oauth.Consumer, error) {
	c.other.Add(1)
	return c.Store.Consumer(ctx, id)
}

func (c *countingStore) TokenByValue(ctx context.Context, token string) (oauth.Token, error) {
	c.other.Add(1)
	return c.Store.TokenByValue(ctx, token)
}

// TestVerifyStoreCalls pins what Verify's doc says: one read
// (ConsumerToken) and one nonce record per signed request, good or bad.
func TestVerifyStoreCalls(t *testing.T) {
	f := newFixture(t, oauth.Config{CleanupProbability: func() int { return 0 }})
	at := f.accessToken()
	cs := &countingStore{Store: f.store}
	p := oauth.NewProvider(cs, oauth.Config{Now: func() time.Time { return f.now }, CleanupProbability: func() int { return 0 }})
	for _, secret := range []string{at.Secret, "wrong"} {
		cs.reads.Store(0)
		cs.nonces.Store(0)
		cs.other.Store(0)
		r := signed(t, signature.Magento247, http.MethodGet, restURL, f.oauthParams(f.consumer, at.Token, ""), f.consumer.Secret, secret)
		_, err := p.Verify(t.Context(), r)
		if (secret == at.Secret) != (err == nil) {
			t.Fatalf("Verify(secret %q) = %v", secret, err)
		}
		if r, n, o := cs.reads.Load(), cs.nonces.Load(), cs.other.Load(); r != 1 || n != 1 || o != 0 {
			t.Errorf("Verify(secret %q): %d reads, %d nonce records, %d other calls; want 1, 1, 0", secret, r, n, o)
		}
	}
}
