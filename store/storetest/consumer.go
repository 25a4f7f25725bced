package storetest

import (
	"fmt"
	"testing"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// checkConsumer fails unless the consumer reads back as want by id and by
// key.
func checkConsumer(t *testing.T, s Store, want oauth.Consumer) {
	t.Helper()
	got, err := s.Consumer(t.Context(), want.ID)
	if wantErr(t, fmt.Sprintf("Consumer(%d)", want.ID), err, nil) {
		diff(t, fmt.Sprintf("Consumer(%d)", want.ID), want, got)
	}
	got, err = s.ConsumerByKey(t.Context(), want.Key)
	if wantErr(t, "ConsumerByKey", err, nil) {
		diff(t, "ConsumerByKey", want, got)
	}
}

func testConsumerRoundTrip(t *testing.T, s Store) {
	ctx := t.Context()
	want := oauth.Consumer{
		Name:                "Integration7",
		Key:                 credential(t),
		Secret:              credential(t),
		CallbackURL:         "https://acme.example/callback",
		RejectedCallbackURL: "https://acme.example/rejected",
		CreatedAt:           at(0),
		UpdatedAt:           at(300),
	}
	c := want
	mustOK(t, "CreateConsumer", s.CreateConsumer(ctx, &c))
	if c.ID <= 0 {
		t.Fatalf("CreateConsumer set ID = %d, want > 0", c.ID)
	}
	want.ID = c.ID
	checkConsumer(t, s, want)

	// A second consumer gets a larger id.
	next := newConsumer(t, s)
	if next.ID <= c.ID {
		t.Errorf("second CreateConsumer: ID = %d, want > %d", next.ID, c.ID)
	}

	// UpdateConsumer replaces every field; the old key and secret are free.
	upd := oauth.Consumer{
		ID:        want.ID,
		Name:      "Integration8",
		Key:       credential(t),
		Secret:    credential(t),
		CreatedAt: at(1),
		UpdatedAt: at(900),
	}
	mustOK(t, "UpdateConsumer", s.UpdateConsumer(ctx, upd))
	checkConsumer(t, s, upd)
	_, err := s.ConsumerByKey(ctx, want.Key)
	wantErr(t, "ConsumerByKey(old key)", err, store.ErrNotFound)
	reuse := oauth.Consumer{Key: want.Key, Secret: want.Secret, CreatedAt: at(0), UpdatedAt: at(0)}
	mustOK(t, "CreateConsumer(old key and secret)", s.CreateConsumer(ctx, &reuse))
}

func testConsumerNotFound(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	for _, id := range missingIDs(c.ID) {
		_, err := s.Consumer(ctx, id)
		wantErr(t, fmt.Sprintf("Consumer(%d)", id), err, store.ErrNotFound)
		up := oauth.Consumer{ID: id, Key: credential(t), Secret: credential(t), CreatedAt: at(0), UpdatedAt: at(0)}
		wantErr(t, fmt.Sprintf("UpdateConsumer(id %d)", id), s.UpdateConsumer(ctx, up), store.ErrNotFound)
		wantErr(t, fmt.Sprintf("DeleteConsumer(%d)", id), s.DeleteConsumer(ctx, id), store.ErrNotFound)
	}
	for _, key := range []string{credential(t), c.Secret, c.Key[:31], ""} {
		_, err := s.ConsumerByKey(ctx, key)
		wantErr(t, fmt.Sprintf("ConsumerByKey(%d chars)", len(key)), err, store.ErrNotFound)
	}
	checkConsumer(t, s, c)
}

func testConsumerDuplicate(t *testing.T, s Store) {
	ctx := t.Context()
	a := newConsumer(t, s)
	b := newConsumer(t, s)

	for _, tc := range []struct {
		name        string
		key, secret string
	}{
		{"key taken", a.Key, credential(t)},
		{"secret taken", credential(t), a.Secret},
	} {
		dup := oauth.Consumer{Key: tc.key, Secret: tc.secret, CreatedAt: at(0), UpdatedAt: at(0)}
		wantErr(t, fmt.Sprintf("CreateConsumer(%s)", tc.name), s.CreateConsumer(ctx, &dup), store.ErrExists)
		_, err := s.ConsumerByKey(ctx, tc.key)
		if tc.key != a.Key {
			wantErr(t, fmt.Sprintf("ConsumerByKey after CreateConsumer(%s)", tc.name), err, store.ErrNotFound)
		}
		up := b
		up.Key, up.Secret = tc.key, tc.secret
		wantErr(t, fmt.Sprintf("UpdateConsumer(%s)", tc.name), s.UpdateConsumer(ctx, up), store.ErrExists)
	}
	checkConsumer(t, s, a)
	checkConsumer(t, s, b)

	// Keeping one's own key and secret is no conflict.
	a.Name = "renamed"
	a.UpdatedAt = at(60)
	mustOK(t, "UpdateConsumer(own key and secret)", s.UpdateConsumer(ctx, a))
	checkConsumer(t, s, a)
}

// testDeleteConsumerCascades checks Magento's after-delete hook: the
// consumer's token row and nonces go with it, and nothing of another
// consumer does.
func testDeleteConsumerCascades(t *testing.T, s Store) {
	ctx := t.Context()
	// a is the newest consumer, so that a backend that reuses the largest
	// id after a delete (SQLite's rowid) gives a's id to the consumer
	// created at the end, which must find none of a's rows.
	b := newConsumer(t, s)
	tb := newToken(t, s, b.ID, oauth.TokenAccess)
	a := newConsumer(t, s)
	ta := newToken(t, s, a.ID, oauth.TokenAccess)
	for _, use := range []struct {
		id    int64
		nonce string
	}{{a.ID, "n1"}, {a.ID, "n2"}, {b.ID, "n1"}} {
		mustOK(t, fmt.Sprintf("UseNonce(%d, %q)", use.id, use.nonce), s.UseNonce(ctx, use.id, use.nonce, 1718000000))
	}

	mustOK(t, "DeleteConsumer", s.DeleteConsumer(ctx, a.ID))
	_, err := s.Consumer(ctx, a.ID)
	wantErr(t, "Consumer(deleted)", err, store.ErrNotFound)
	_, err = s.ConsumerByKey(ctx, a.Key)
	wantErr(t, "ConsumerByKey(deleted)", err, store.ErrNotFound)
	_, err = s.TokenByConsumer(ctx, a.ID)
	wantErr(t, "TokenByConsumer(deleted consumer)", err, store.ErrNotFound)
	_, err = s.TokenByValue(ctx, ta.Token)
	wantErr(t, "TokenByValue(token of deleted consumer)", err, store.ErrNotFound)
	_, _, _, err = s.ConsumerToken(ctx, a.Key, ta.Token)
	wantErr(t, "ConsumerToken(deleted consumer)", err, store.ErrNotFound)
	_, _, found, err := s.ConsumerToken(ctx, b.Key, ta.Token)
	if wantErr(t, "ConsumerToken(other consumer, token of deleted consumer)", err, nil) && found {
		t.Errorf("ConsumerToken(other consumer, token of deleted consumer) found = true, want false")
	}
	// The nonces are gone with the consumer, so UseNonce meets no consumer.
	wantErr(t, "UseNonce(deleted consumer)", s.UseNonce(ctx, a.ID, "n1", 1718000000), store.ErrNotFound)
	wantErr(t, "DeleteConsumer(again)", s.DeleteConsumer(ctx, a.ID), store.ErrNotFound)

	// The other consumer keeps its row and its nonce.
	checkConsumer(t, s, b)
	got, err := s.TokenByValue(ctx, tb.Token)
	if wantErr(t, "TokenByValue(other consumer)", err, nil) {
		diff(t, "TokenByValue(other consumer)", tb, got)
	}
	wantErr(t, `UseNonce(other consumer, "n1")`, s.UseNonce(ctx, b.ID, "n1", 1718000000), store.ErrExists)

	// Nothing of the deleted rows lingers: key, secret and token value are
	// free, and a new consumer starts without nonces.
	c := oauth.Consumer{Key: a.Key, Secret: a.Secret, CreatedAt: at(0), UpdatedAt: at(0)}
	mustOK(t, "CreateConsumer(key and secret of deleted consumer)", s.CreateConsumer(ctx, &c))
	_, err = s.TokenByConsumer(ctx, c.ID)
	wantErr(t, "TokenByConsumer(new consumer)", err, store.ErrNotFound)
	tc := tokenFor(t, c.ID, oauth.TokenVerifier)
	tc.Token = ta.Token
	mustOK(t, "CreateToken(token value of deleted row)", s.CreateToken(ctx, &tc))
	mustOK(t, `UseNonce(new consumer, "n1")`, s.UseNonce(ctx, c.ID, "n1", 1718000000))
}
