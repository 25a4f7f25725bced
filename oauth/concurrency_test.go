package oauth_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
)

const racers = 32

// race runs fn(i) for i in [0, racers) at once and returns the errors.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range racers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			errs[i] = fn(i)
		}()
	}
	start.Done()
	done.Wait()
	return errs
}

// winners counts the nil errors and checks that every other one is a 401
// OAuth error.
func winners(t *testing.T, errs []error) int {
	t.Helper()
	n := 0
	for _, err := range errs {
		var me *magerr.Error
		switch {
		case err == nil:
			n++
		case !errors.As(err, &me) || me.Status() != http.StatusUnauthorized:
			t.Errorf("loser's error = %v, want a 401 OAuth error", err)
		}
	}
	return n
}

func TestConcurrentExchange(t *testing.T) {
	f := newFixture(t, oauth.Config{})
	rt := f.requestToken()
	reqs := make([]*http.Request, racers)
	for i := range reqs {
		reqs[i] = signed(t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier), f.consumer.Secret, rt.Secret)
	}
	errs := race(func(i int) error {
		_, err := f.provider.AccessToken(t.Context(), reqs[i])
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Errorf("%d concurrent exchanges of one request token: %d succeeded, want 1", racers, n)
	}
}

func TestConcurrentNonce(t *testing.T) {
	f := newFixture(t, oauth.Config{})
	at := f.accessToken()
	params := set(f.oauthParams(f.consumer, at.Token, ""), signature.ParamNonce, "shared")
	reqs := make([]*http.Request, racers)
	for i := range reqs {
		reqs[i] = signed(t, signature.Magento247, http.MethodGet, restURL, params, f.consumer.Secret, at.Secret)
	}
	errs := race(func(i int) error {
		_, err := f.provider.Verify(t.Context(), reqs[i])
		return err
	})
	if n := winners(t, errs); n != 1 {
		t.Errorf("%d concurrent uses of one nonce: %d succeeded, want 1", racers, n)
	}
}
