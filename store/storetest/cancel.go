package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// call is one method call of the store contract, as a closure over
// fixtures, so a table can make every call with a given context.
type call struct {
	name string
	do   func(ctx context.Context, s Store) error
}

// cancelFixture is what the cancellation checks work on: one integration
// whose consumer has a request token, and one whose consumer has no row.
type cancelFixture struct {
	a    linked
	b    integration.Integration
	bare oauth.Consumer // b's consumer
}

func newCancelFixture(t *testing.T, s Store) cancelFixture {
	t.Helper()
	f := cancelFixture{a: newLinked(t, s, "A", oauth.TokenRequest), bare: newConsumer(t, s)}
	f.b = newIntegration(t, s, "B", f.bare.ID)
	mustOK(t, "UseNonce", s.UseNonce(t.Context(), f.a.c.ID, "used", 1718000000))
	return f
}

// calls returns every method of the contract, each called so that with a
// live context it would change the store or find a record.
func (f cancelFixture) calls(t *testing.T) []call {
	newKey, newSecret := credential(t), credential(t)
	return []call{
		{"CreateIntegration", func(ctx context.Context, s Store) error {
			in := integration.Integration{Name: "new", CreatedAt: at(0), UpdatedAt: at(0)}
			return s.CreateIntegration(ctx, &in)
		}},
		{"UpdateIntegration", func(ctx context.Context, s Store) error {
			in := cloneIntegration(f.a.in)
			in.Name = "renamed"
			return s.UpdateIntegration(ctx, in)
		}},
		{"DeleteIntegration", func(ctx context.Context, s Store) error { return s.DeleteIntegration(ctx, f.a.in.ID) }},
		{"Integration", func(ctx context.Context, s Store) error { _, err := s.Integration(ctx, f.a.in.ID); return err }},
		{"IntegrationByName", func(ctx context.Context, s Store) error { _, err := s.IntegrationByName(ctx, f.a.in.Name); return err }},
		{"IntegrationByConsumer", func(ctx context.Context, s Store) error {
			_, err := s.IntegrationByConsumer(ctx, f.a.c.ID)
			return err
		}},
		{"Integrations", func(ctx context.Context, s Store) error { _, err := s.Integrations(ctx); return err }},
		{"CreateConsumer", func(ctx context.Context, s Store) error {
			c := oauth.Consumer{Key: newKey, Secret: newSecret, CreatedAt: at(0), UpdatedAt: at(0)}
			return s.CreateConsumer(ctx, &c)
		}},
		{"UpdateConsumer", func(ctx context.Context, s Store) error {
			c := f.a.c
			c.Name = "renamed"
			return s.UpdateConsumer(ctx, c)
		}},
		{"DeleteConsumer", func(ctx context.Context, s Store) error { return s.DeleteConsumer(ctx, f.a.c.ID) }},
		{"Consumer", func(ctx context.Context, s Store) error { _, err := s.Consumer(ctx, f.a.c.ID); return err }},
		{"ConsumerByKey", func(ctx context.Context, s Store) error { _, err := s.ConsumerByKey(ctx, f.a.c.Key); return err }},
		{"CreateToken", func(ctx context.Context, s Store) error {
			tok := tokenFor(t, f.bare.ID, oauth.TokenVerifier)
			return s.CreateToken(ctx, &tok)
		}},
		{"UpdateToken", func(ctx context.Context, s Store) error {
			tok := f.a.tok
			tok.Type = oauth.TokenAccess
			return s.UpdateToken(ctx, tok, oauth.TokenRequest)
		}},
		{"DeleteToken", func(ctx context.Context, s Store) error { return s.DeleteToken(ctx, f.a.c.ID) }},
		{"TokenByConsumer", func(ctx context.Context, s Store) error { _, err := s.TokenByConsumer(ctx, f.a.c.ID); return err }},
		{"TokenByValue", func(ctx context.Context, s Store) error { _, err := s.TokenByValue(ctx, f.a.tok.Token); return err }},
		{"UseNonce", func(ctx context.Context, s Store) error { return s.UseNonce(ctx, f.a.c.ID, "fresh", 1718000000) }},
		{"ConsumerToken", func(ctx context.Context, s Store) error {
			_, _, _, err := s.ConsumerToken(ctx, f.a.c.Key, f.a.tok.Token)
			return err
		}},
		{"Atomic", func(ctx context.Context, s Store) error {
			return s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
				// A backend that runs fn despite the cancelled context must
				// still not commit; the write itself uses a live context.
				itx, ok := tx.(integration.Store)
				if !ok {
					return fmt.Errorf("tx %T does not implement integration.Store", tx)
				}
				in := integration.Integration{Name: "in tx", CreatedAt: at(0), UpdatedAt: at(0)}
				return itx.CreateIntegration(context.WithoutCancel(ctx), &in)
			})
		}},
	}
}

// unchanged fails unless nothing of the calls' writes reached the store.
func (f cancelFixture) unchanged(t *testing.T, s Store, before State, calls []call) {
	t.Helper()
	sameState(t, s, before, "calls with a cancelled context")
	ctx := t.Context()
	for _, name := range []string{"new", "in tx"} {
		_, err := s.IntegrationByName(ctx, name)
		wantErr(t, fmt.Sprintf("IntegrationByName(%q) after cancelled calls", name), err, store.ErrNotFound)
	}
	// The fresh nonce is still unused, and CreateConsumer's key still free.
	wantErr(t, "UseNonce(fresh) after cancelled calls", s.UseNonce(ctx, f.a.c.ID, "fresh", 1718000000), nil)
	for _, c := range calls {
		if c.name == "CreateConsumer" {
			wantErr(t, "CreateConsumer after cancelled calls", c.do(ctx, s), nil)
		}
	}
}

// testCancelledContext calls every method with a cancelled context: each
// must return an error matching context.Canceled and change nothing.
func testCancelledContext(t *testing.T, s Store) {
	f := newCancelFixture(t, s)
	before := MustSnapshot(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := f.calls(t)
	for _, c := range calls {
		if err := c.do(ctx, s); !errors.Is(err, context.Canceled) {
			t.Errorf("%s(cancelled ctx) = %v, want context.Canceled", c.name, err)
		}
	}
	f.unchanged(t, s, before, calls)
}

// testCancelledContextInTx makes the same calls on the tx of a live Atomic:
// each must fail with context.Canceled, and the transaction, committed
// afterwards, must hold nothing of them.
func testCancelledContextInTx(t *testing.T, s Store) {
	f := newCancelFixture(t, s)
	before := MustSnapshot(t, s)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	calls := f.calls(t)
	err := s.Atomic(t.Context(), func(ctx context.Context, tx oauth.Store) error {
		itx, ok := tx.(integration.Store)
		if !ok {
			return fmt.Errorf("tx %T does not implement integration.Store", tx)
		}
		for _, c := range calls {
			if c.name == "Atomic" {
				continue // Atomic calls do not nest.
			}
			if err := c.do(cancelled, itx); !errors.Is(err, context.Canceled) {
				t.Errorf("tx.%s(cancelled ctx) = %v, want context.Canceled", c.name, err)
			}
		}
		return nil
	})
	mustOK(t, "Atomic", err)
	f.unchanged(t, s, before, calls)
}

// testAtomicCancelledDuringFn cancels Atomic's context while fn runs: fn
// returns nil, yet nothing commits and Atomic reports context.Canceled.
func testAtomicCancelledDuringFn(t *testing.T, s Store) {
	f := newCancelFixture(t, s)
	before := MustSnapshot(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	err := s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		itx, ok := tx.(integration.Store)
		if !ok {
			return fmt.Errorf("tx %T does not implement integration.Store", tx)
		}
		in := integration.Integration{Name: "new", CreatedAt: at(0), UpdatedAt: at(0)}
		if err := itx.CreateIntegration(ctx, &in); err != nil {
			return err
		}
		if err := itx.UseNonce(ctx, f.a.c.ID, "fresh", 1718000000); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Atomic(cancelled during fn) = %v, want context.Canceled", err)
	}
	f.unchanged(t, s, before, nil)
}
