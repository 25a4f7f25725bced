package memstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/store/memstore"
)

func TestSmoke(t *testing.T) {
	ctx := context.Background()
	s, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	in := integration.Integration{Name: "a", Resources: []string{"x"}}
	if err := s.CreateIntegration(ctx, &in); err != nil {
		t.Fatal(err)
	}
	dup := integration.Integration{Name: "a"}
	if err := s.CreateIntegration(ctx, &dup); !errors.Is(err, store.ErrExists) {
		t.Fatalf("dup: %v", err)
	}
	c := oauth.Consumer{Key: "k", Secret: "s"}
	if err := s.CreateConsumer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	in.ConsumerID = c.ID
	if err := s.UpdateIntegration(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := s.IntegrationByConsumer(ctx, c.ID)
	if err != nil || got.ID != in.ID {
		t.Fatal(got, err)
	}
	tok, err := oauth.IssueVerifier(ctx, s, c.ID, nil, in.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oauth.IssueRequestToken(ctx, s, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := oauth.IssueRequestToken(ctx, s, c.ID, nil); err == nil {
		t.Fatal("second request token")
	}
	_ = tok
	if err := s.UseNonce(ctx, c.ID, "n", 1); err != nil {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, c.ID, "n", 1); !errors.Is(err, store.ErrExists) {
		t.Fatal(err)
	}
	err = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		if err := tx.DeleteConsumer(ctx, c.ID); err != nil {
			return err
		}
		return errors.New("boom")
	})
	if _, err2 := s.Consumer(ctx, c.ID); err == nil || err2 != nil {
		t.Fatal(err, err2)
	}
	if err := s.DeleteConsumer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, c.ID, "n", 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("nonce of deleted consumer", err)
	}
}
