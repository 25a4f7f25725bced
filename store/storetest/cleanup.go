package storetest

import (
	"fmt"
	"testing"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// testCleanup checks [oauth.Cleaner] (docs/magento-behaviour.md §3.4) on stores that implement
// it: nonces with a timestamp at or before the bound go, and may be used
// again; later nonces stay; request tokens created at or before the bound
// go, other token types (a request token since exchanged among them) and
// later request tokens stay.
func testCleanup(t *testing.T, s Store) {
	cl, ok := s.(oauth.Cleaner)
	if !ok {
		t.Skip("the store does not implement oauth.Cleaner")
	}
	ctx := t.Context()
	a := newConsumer(t, s)
	b := newConsumer(t, s)
	bound := at(100)
	before, after := bound.Unix()-1, bound.Unix()+1
	used := []struct {
		consumer int64
		nonce    string
		ts       int64
	}{
		{a.ID, "old-a", before},
		{a.ID, "edge-a", bound.Unix()},
		{a.ID, "new-a", after},
		{b.ID, "old-b", before},
		{b.ID, "new-b", after},
	}
	for _, u := range used {
		if err := s.UseNonce(ctx, u.consumer, u.nonce, u.ts); err != nil {
			t.Fatalf("UseNonce(%s): %v", u.nonce, err)
		}
	}

	oldRequest := tokenFor(t, a.ID, oauth.TokenRequest)
	oldRequest.CreatedAt = bound
	if err := s.CreateToken(ctx, &oldRequest); err != nil {
		t.Fatal(err)
	}
	c := newConsumer(t, s)
	newRequest := tokenFor(t, c.ID, oauth.TokenRequest)
	newRequest.CreatedAt = at(101)
	if err := s.CreateToken(ctx, &newRequest); err != nil {
		t.Fatal(err)
	}
	access := newToken(t, s, b.ID, oauth.TokenAccess) // created at(0), long before the bound
	// A request token exchanged for an access token keeps its row and its
	// creation time: it is no longer a request token the cleanup deletes.
	e := newConsumer(t, s)
	exchanged := tokenFor(t, e.ID, oauth.TokenRequest)
	exchanged.CreatedAt = bound
	if err := s.CreateToken(ctx, &exchanged); err != nil {
		t.Fatal(err)
	}
	exchanged.Type = oauth.TokenAccess
	if err := s.UpdateToken(ctx, exchanged, oauth.TokenRequest); err != nil {
		t.Fatal(err)
	}
	d := newConsumer(t, s)
	verifier := newToken(t, s, d.ID, oauth.TokenVerifier)

	nonces, err := cl.CleanupNonces(ctx, bound)
	if err != nil || nonces != 3 {
		t.Errorf("CleanupNonces = %d, %v; want 3, nil", nonces, err)
	}
	if _, err := s.TokenByConsumer(ctx, a.ID); err != nil {
		t.Errorf("TokenByConsumer(old request token) after the cleanupsNonces: %v, want the token kept", err)
	}
	tokens, err := cl.CleanupRequestTokens(ctx, bound)
	if err != nil || tokens != 1 {
		t.Errorf("CleanupRequestTokens = %d, %v; want 1, nil", tokens, err)
	}
	nonces, err = cl.CleanupNonces(ctx, bound)
	if err != nil || nonces != 0 {
		t.Errorf("second CleanupNonces = %d, %v; want 0, nil", nonces, err)
	}
	tokens, err = cl.CleanupRequestTokens(ctx, bound)
	if err != nil || tokens != 0 {
		t.Errorf("second CleanupRequestTokens = %d, %v; want 0, nil", tokens, err)
	}
	for _, u := range used {
		want := error(nil) // cleaned: usable again
		if u.ts > bound.Unix() {
			want = store.ErrExists
		}
		wantErr(t, fmt.Sprintf("UseNonce(%s) after the cleanups", u.nonce), s.UseNonce(ctx, u.consumer, u.nonce, u.ts), want)
	}
	_, err = s.TokenByConsumer(ctx, a.ID)
	wantErr(t, "TokenByConsumer(old request token) after the cleanups", err, store.ErrNotFound)
	for _, kept := range []oauth.Token{newRequest, access, verifier, exchanged} {
		got, err := s.TokenByConsumer(ctx, kept.ConsumerID)
		if wantErr(t, fmt.Sprintf("TokenByConsumer(%s token) after the cleanups", kept.Type), err, nil) {
			diff(t, fmt.Sprintf("%s token after the cleanups", kept.Type), kept, got)
		}
	}

}
