package storetest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/store/storetest"
)

func newMem(t testing.TB) *memstore.Store {
	t.Helper()
	s, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func credential(t testing.TB) string {
	t.Helper()
	v, err := oauth.NewCredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var epoch = time.Date(2024, time.June, 10, 6, 13, 20, 0, time.UTC)

// TestFaultyConformance checks that a Faulty with no fault planned is
// invisible: it passes the whole suite, transactions included.
func TestFaultyConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		return storetest.NewFaulty(newMem(t))
	})
}

// seeded returns a Faulty over a memstore holding one integration with its
// consumer and a verifier row, with the count reset.
func seeded(t *testing.T) (*storetest.Faulty, integration.Integration, oauth.Consumer, oauth.Token) {
	t.Helper()
	ctx := t.Context()
	f := storetest.NewFaulty(newMem(t))
	c := oauth.Consumer{Name: "Integration1", Key: credential(t), Secret: credential(t), CreatedAt: epoch, UpdatedAt: epoch}
	if err := f.CreateConsumer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	in := integration.Integration{Name: "ERP", ConsumerID: c.ID, Resources: []string{"Magento_Catalog::products"}, CreatedAt: epoch, UpdatedAt: epoch}
	if err := f.CreateIntegration(ctx, &in); err != nil {
		t.Fatal(err)
	}
	tok, err := oauth.IssueVerifier(ctx, f, c.ID, nil, epoch)
	if err != nil {
		t.Fatal(err)
	}
	f.Reset()
	return f, in, c, tok
}

func TestFaultyCountsWrites(t *testing.T) {
	ctx := t.Context()
	f, in, c, tok := seeded(t)
	bare := oauth.Consumer{Key: credential(t), Secret: credential(t), CreatedAt: epoch, UpdatedAt: epoch}
	tests := []struct {
		name  string
		call  func() error
		write bool
	}{
		{"Integration", func() error { _, err := f.Integration(ctx, in.ID); return err }, false},
		{"IntegrationByName", func() error { _, err := f.IntegrationByName(ctx, in.Name); return err }, false},
		{"IntegrationByConsumer", func() error { _, err := f.IntegrationByConsumer(ctx, c.ID); return err }, false},
		{"Integrations", func() error { _, err := f.Integrations(ctx); return err }, false},
		{"Consumer", func() error { _, err := f.Consumer(ctx, c.ID); return err }, false},
		{"ConsumerByKey", func() error { _, err := f.ConsumerByKey(ctx, c.Key); return err }, false},
		{"TokenByConsumer", func() error { _, err := f.TokenByConsumer(ctx, c.ID); return err }, false},
		{"TokenByValue", func() error { _, err := f.TokenByValue(ctx, tok.Token); return err }, false},
		{"ConsumerToken", func() error { _, _, _, err := f.ConsumerToken(ctx, c.Key, tok.Token); return err }, false},
		{"Atomic(no writes)", func() error {
			return f.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error { return nil })
		}, false},
		{"UpdateIntegration", func() error { return f.UpdateIntegration(ctx, in) }, true},
		{"CreateIntegration", func() error {
			n := integration.Integration{Name: "PIM", CreatedAt: epoch, UpdatedAt: epoch}
			return f.CreateIntegration(ctx, &n)
		}, true},
		// A failing write is a write too.
		{"CreateIntegration(duplicate)", func() error {
			n := integration.Integration{Name: "PIM", CreatedAt: epoch, UpdatedAt: epoch}
			if err := f.CreateIntegration(ctx, &n); !errors.Is(err, store.ErrExists) {
				return errors.New("duplicate accepted")
			}
			return nil
		}, true},
		{"UpdateConsumer", func() error { return f.UpdateConsumer(ctx, c) }, true},
		{"CreateConsumer", func() error { return f.CreateConsumer(ctx, &bare) }, true},
		{"UseNonce", func() error { return f.UseNonce(ctx, c.ID, "n", 1) }, true},
		{"UpdateToken", func() error {
			up := tok
			up.Type = oauth.TokenRequest
			return f.UpdateToken(ctx, up, oauth.TokenVerifier)
		}, true},
		{"DeleteToken", func() error { return f.DeleteToken(ctx, c.ID) }, true},
		{"CreateToken", func() error { return f.CreateToken(ctx, &tok) }, true},
		{"DeleteIntegration", func() error { return f.DeleteIntegration(ctx, in.ID) }, true},
		{"DeleteConsumer", func() error { return f.DeleteConsumer(ctx, c.ID) }, true},
	}
	for _, tc := range tests {
		f.Reset()
		if err := tc.call(); err != nil {
			t.Fatalf("%s = %v, want nil", tc.name, err)
		}
		want := 0
		if tc.write {
			want = 1
		}
		if got := f.Writes(); got != want {
			t.Errorf("Writes() after %s = %d, want %d", tc.name, got, want)
		}
	}
}

// TestFaultyCountsTxWrites checks that writes on the tx of Atomic count,
// and that the tx is a Faulty too.
func TestFaultyCountsTxWrites(t *testing.T) {
	ctx := t.Context()
	f, in, c, _ := seeded(t)
	err := f.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		itx, ok := tx.(*storetest.Faulty)
		if !ok {
			t.Fatalf("Atomic: tx is %T, want *storetest.Faulty", tx)
		}
		if err := itx.UpdateIntegration(ctx, in); err != nil {
			return err
		}
		if err := itx.UseNonce(ctx, c.ID, "n", 1); err != nil {
			return err
		}
		if _, err := itx.Integration(ctx, in.ID); err != nil {
			return err
		}
		if n := f.Writes(); n != 2 {
			t.Errorf("Writes() inside Atomic = %d, want 2", n)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Atomic = %v", err)
	}
	if n := f.Writes(); n != 2 {
		t.Errorf("Writes() after Atomic = %d, want 2", n)
	}
}

func TestFaultyFailAt(t *testing.T) {
	ctx := t.Context()
	f, in, c, _ := seeded(t)

	f.FailAt(2)
	if err := f.UseNonce(ctx, c.ID, "first", 1); err != nil {
		t.Fatalf("write 1 = %v, want nil", err)
	}
	renamed := in
	renamed.Name = "renamed"
	err := f.UpdateIntegration(ctx, renamed)
	if !errors.Is(err, storetest.ErrInjected) {
		t.Fatalf("write 2 = %v, want ErrInjected", err)
	}
	// The failed write did not reach the store.
	if got, err := f.Integration(ctx, in.ID); err != nil || got.Name != in.Name {
		t.Errorf("Integration after the failed write = %q, %v, want %q, nil", got.Name, err, in.Name)
	}
	// Only the planned write fails.
	if err := f.UpdateIntegration(ctx, renamed); err != nil {
		t.Errorf("write 3 = %v, want nil", err)
	}
	if n := f.Writes(); n != 3 {
		t.Errorf("Writes() = %d, want 3 (the failed one included)", n)
	}

	// FailAt restarts the count; Reset cancels the plan.
	f.FailAt(1)
	if n := f.Writes(); n != 0 {
		t.Errorf("Writes() after FailAt = %d, want 0", n)
	}
	f.Reset()
	if err := f.UseNonce(ctx, c.ID, "second", 1); err != nil {
		t.Errorf("write after Reset = %v, want nil", err)
	}
	f.FailAt(0)
	for i := range 3 {
		if err := f.UseNonce(ctx, c.ID, credential(t), 1); err != nil {
			t.Errorf("write %d with FailAt(0) = %v, want nil", i+1, err)
		}
	}
}

// TestFaultyEachWriteRollsBack is the use the wrapper is made for: an
// operation of several writes in one transaction, failed at each write in
// turn, leaves the store as it was.
func TestFaultyEachWriteRollsBack(t *testing.T) {
	ctx := t.Context()
	op := func(f *storetest.Faulty, in integration.Integration, c oauth.Consumer, tok oauth.Token) error {
		return f.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
			itx, ok := tx.(integration.Store)
			if !ok {
				return errors.New("tx is no integration.Store")
			}
			if err := itx.UseNonce(ctx, c.ID, "op", 1); err != nil {
				return err
			}
			if err := itx.DeleteToken(ctx, c.ID); err != nil {
				return err
			}
			fresh := tok
			fresh.Token = credential(t)
			if err := itx.CreateToken(ctx, &fresh); err != nil {
				return err
			}
			up := in
			up.Status = integration.StatusActive
			if err := itx.UpdateIntegration(ctx, up); err != nil {
				return err
			}
			n := integration.Integration{Name: "PIM", CreatedAt: epoch, UpdatedAt: epoch}
			return itx.CreateIntegration(ctx, &n)
		})
	}

	f, in, c, tok := seeded(t)
	if err := op(f, in, c, tok); err != nil {
		t.Fatalf("op without faults = %v", err)
	}
	writes := f.Writes()
	if writes != 5 {
		t.Errorf("op without faults made %d writes, want 5", writes)
	}
	for i := 1; i <= writes; i++ {
		f, in, c, tok := seeded(t)
		before := storetest.MustSnapshot(t, f)
		f.FailAt(i)
		if err := op(f, in, c, tok); !errors.Is(err, storetest.ErrInjected) {
			t.Fatalf("op with write %d failing = %v, want ErrInjected", i, err)
		}
		if n := f.Writes(); n != i {
			t.Errorf("op with write %d failing made %d writes, want %d", i, n, i)
		}
		if d := cmp.Diff(before, storetest.MustSnapshot(t, f)); d != "" {
			t.Errorf("op with write %d failing changed the store (-before +after):\n%s", i, d)
		}
		if err := f.UseNonce(ctx, c.ID, "op", 1); err != nil {
			t.Errorf("op with write %d failing kept its nonce: UseNonce = %v, want nil", i, err)
		}
	}
}
