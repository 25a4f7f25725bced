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

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store"
)

// TestCleanup checks Magento's probabilistic cleanup (docs/magento-behaviour.md §3.4, §4):
// with probability 1/1 a stored nonce triggers it, nonces with a timestamp
// older than the expiration period are forgotten, so a captured request
// with an old timestamp can be replayed once cleaned (Magento's replay
// window); with probability 0 nothing is forgotten; old request tokens go.
func TestCleanup(t *testing.T) {
	var probability atomic.Int64
	f := newFixture(t, oauth.Config{
		CleanupProbability: func() int { return int(probability.Load()) },
		CleanupExpiration:  func() time.Duration { return time.Hour },
	})
	at := f.accessToken()
	ctx := context.Background()

	// Another consumer left a request token two hours ago.
	f.now = epoch.Add(-2 * time.Hour)
	other := f.newConsumer("integration2")
	f.issueVerifier(other.ID)
	if _, err := f.provider.RequestToken(ctx, signed(t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(other, "", ""), other.Secret, "")); err != nil {
		t.Fatal(err)
	}
	f.now = epoch

	old := f.oauthParams(f.consumer, at.Token, "")
	old = set(old, signature.ParamTimestamp, strconv.FormatInt(epoch.Add(-2*time.Hour).Unix(), 10))
	captured := signed(t, signature.Magento247, http.MethodGet, restURL, old, f.consumer.Secret, at.Secret)
	replay := func() error {
		r := httptest.NewRequest(http.MethodGet, restURL, nil)
		r.Header = captured.Header.Clone()
		_, err := f.provider.Verify(ctx, r)
		return err
	}
	fresh := func() {
		t.Helper()
		r := signed(t, signature.Magento247, http.MethodGet, restURL, f.oauthParams(f.consumer, at.Token, ""), f.consumer.Secret, at.Secret)
		if _, err := f.provider.Verify(ctx, r); err != nil {
			t.Fatalf("Verify(fresh request) = %v", err)
		}
	}
	if err := replay(); err != nil {
		t.Fatalf("Verify(old timestamp) = %v, want success (no lower bound)", err)
	}
	wantUsed := "The nonce is already being used by the consumer with ID " + strconv.FormatInt(f.consumer.ID, 10)

	fresh() // probability 0: no cleanup
	if err := replay(); errText(err) != wantUsed {
		t.Fatalf("replay without cleanup = %v, want %q", err, wantUsed)
	}
	if _, err := f.store.TokenByConsumer(ctx, other.ID); err != nil {
		t.Fatalf("request token without cleanup: %v", err)
	}

	probability.Store(1)
	fresh() // stores a nonce, then cleans nonces: request tokens stay
	if _, err := f.store.TokenByConsumer(ctx, other.ID); err != nil {
		t.Errorf("request token of two hours ago after a nonce save: %v, want it kept (only token saves clean tokens)", err)
	}
	// Stop cleaning, or the replay's own old nonce would be cleaned at once.
	probability.Store(0)
	if err := replay(); err != nil {
		t.Errorf("replay after cleanup = %v, want success: the old nonce was forgotten", err)
	}
	if err := replay(); errText(err) != wantUsed {
		t.Errorf("second replay after cleanup = %v, want %q", err, wantUsed)
	}

	// A token save (another consumer's request token) cleans request
	// tokens: the one of two hours ago goes, access tokens stay.
	probability.Store(1)
	third := f.newConsumer("integration3")
	f.issueVerifier(third.ID)
	if _, err := f.provider.RequestToken(ctx, signed(t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(third, "", ""), third.Secret, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.TokenByConsumer(ctx, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("request token of two hours ago after a token save: %v, want ErrNotFound", err)
	}
	if _, err := f.store.TokenByConsumer(ctx, f.consumer.ID); err != nil {
		t.Errorf("access token after cleanup: %v, want kept", err)
	}
}

// TestCleanupSparesExchange runs the access-token step for a verifier made
// three hours ago (an activation re-posted later) with every save
// cleaning: the nonce the step stores cleans nonces only, so the request
// token it has just read survives and the exchange succeeds, as in
// Magento.
func TestCleanupSparesExchange(t *testing.T) {
	var probability atomic.Int64
	f := newFixture(t, oauth.Config{CleanupProbability: func() int { return int(probability.Load()) }})
	c := f.newConsumer("old")
	f.now = epoch.Add(-3 * time.Hour)
	v := f.issueVerifier(c.ID)
	f.now = epoch
	rt, err := f.provider.RequestToken(t.Context(), signed(t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(c, "", ""), c.Secret, ""))
	if err != nil {
		t.Fatal(err)
	}
	probability.Store(1)
	r := signed(t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(c, rt.Token, v.Verifier), c.Secret, rt.Secret)
	if _, err := f.provider.AccessToken(t.Context(), r); err != nil {
		t.Fatalf("AccessToken with every save cleaning = %v, want success", err)
	}
}
