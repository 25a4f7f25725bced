package storetest

import (
	"context"
	"testing"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// testOrphanedConsumer checks what Magento's re-creation of a config
// integration relies on (it deletes the integration row only): once the
// integration is deleted, its consumer and access token still verify
// through the hot-path read, no integration has the consumer, and deleting
// the consumer afterwards removes its token.
func testOrphanedConsumer(t *testing.T, s Store) {
	ctx := t.Context()
	l := newLinked(t, s, "ERP", oauth.TokenAccess)
	mustOK(t, "DeleteIntegration", s.DeleteIntegration(ctx, l.in.ID))

	c, tok, found, err := s.ConsumerToken(ctx, l.c.Key, l.tok.Token)
	if wantErr(t, "ConsumerToken(orphaned)", err, nil) {
		if !found {
			t.Errorf("ConsumerToken(orphaned) found = false, want the token")
		}
		diff(t, "ConsumerToken(orphaned) consumer", l.c, c)
		diff(t, "ConsumerToken(orphaned) token", l.tok, tok)
	}
	_, err = s.IntegrationByConsumer(ctx, l.c.ID)
	wantErr(t, "IntegrationByConsumer(orphaned)", err, store.ErrNotFound)

	mustOK(t, "DeleteConsumer(orphaned)", s.DeleteConsumer(ctx, l.c.ID))
	_, err = s.TokenByValue(ctx, l.tok.Token)
	wantErr(t, "TokenByValue(of deleted orphan)", err, store.ErrNotFound)
}

// consumerLister is the optional method that lists every consumer.
type consumerLister interface {
	ConsumerIDs(ctx context.Context) ([]int64, error)
}

// testConsumerIDs checks, for a backend that lists consumers, that every
// consumer is listed in ascending id order, an orphaned one included, both
// on the store and on a transaction's view. Other backends skip it.
func testConsumerIDs(t *testing.T, s Store) {
	ctx := t.Context()
	if _, ok := s.(consumerLister); !ok {
		t.Skip("the store does not list consumers")
	}
	l := newLinked(t, s, "ERP", oauth.TokenAccess)
	bare := newConsumer(t, s)
	mustOK(t, "DeleteIntegration", s.DeleteIntegration(ctx, l.in.ID))
	want := []int64{l.c.ID, bare.ID}

	ids, err := s.(consumerLister).ConsumerIDs(ctx)
	if wantErr(t, "ConsumerIDs", err, nil) {
		diff(t, "ConsumerIDs", want, ids)
	}
	mustOK(t, "Atomic", s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		tl, ok := tx.(consumerLister)
		if !ok {
			t.Errorf("the transaction of a store that lists consumers does not")
			return nil
		}
		ids, err := tl.ConsumerIDs(ctx)
		if wantErr(t, "ConsumerIDs(in tx)", err, nil) {
			diff(t, "ConsumerIDs(in tx)", want, ids)
		}
		return nil
	}))
}
