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

// errHalfWay is the suite's own error, returned by fn to roll Atomic back.
var errHalfWay = errors.New("storetest: fn failed half-way")

// inTx runs fn through s.Atomic with the tx asserted to a Store, failing
// the test if it does not implement one.
func inTx(t *testing.T, s Store, fn func(ctx context.Context, tx Store) error) error {
	t.Helper()
	return s.Atomic(t.Context(), func(ctx context.Context, tx oauth.Store) error {
		itx, ok := tx.(integration.Store)
		if !ok {
			t.Errorf("Atomic: tx %T does not implement integration.Store", tx)
			return fmt.Errorf("tx %T does not implement integration.Store", tx)
		}
		return fn(ctx, itx)
	})
}

func testAtomicTxIsIntegrationStore(t *testing.T, s Store) {
	called := false
	err := s.Atomic(t.Context(), func(ctx context.Context, tx oauth.Store) error {
		called = true
		if _, ok := tx.(integration.Store); !ok {
			t.Errorf("Atomic: tx %T does not implement integration.Store", tx)
		}
		return nil
	})
	mustOK(t, "Atomic", err)
	if !called {
		t.Error("Atomic returned nil without calling fn")
	}
}

// txWrites are the records an Atomic test creates inside its transaction.
type txWrites struct {
	c   oauth.Consumer
	in  integration.Integration
	tok oauth.Token
}

// createAll creates a consumer, an integration over it, a token row and a
// nonce through tx, one write of each create kind.
func createAll(ctx context.Context, t *testing.T, tx Store, name string) (txWrites, error) {
	w := txWrites{c: oauth.Consumer{Name: name, Key: credential(t), Secret: credential(t), CreatedAt: at(0), UpdatedAt: at(0)}}
	if err := tx.CreateConsumer(ctx, &w.c); err != nil {
		return w, fmt.Errorf("CreateConsumer: %w", err)
	}
	w.in = integration.Integration{Name: name, ConsumerID: w.c.ID, Resources: []string{"Magento_Catalog::products"}, CreatedAt: at(0), UpdatedAt: at(0)}
	if err := tx.CreateIntegration(ctx, &w.in); err != nil {
		return w, fmt.Errorf("CreateIntegration: %w", err)
	}
	w.tok = tokenFor(t, w.c.ID, oauth.TokenAccess)
	if err := tx.CreateToken(ctx, &w.tok); err != nil {
		return w, fmt.Errorf("CreateToken: %w", err)
	}
	if err := tx.UseNonce(ctx, w.c.ID, "n", 1718000000); err != nil {
		return w, fmt.Errorf("UseNonce: %w", err)
	}
	return w, nil
}

func testAtomicCommit(t *testing.T, s Store) {
	var w txWrites
	err := inTx(t, s, func(ctx context.Context, tx Store) error {
		var err error
		w, err = createAll(ctx, t, tx, "ERP")
		return err
	})
	mustOK(t, "Atomic", err)
	checkConsumer(t, s, w.c)
	checkIntegration(t, s, w.in)
	checkToken(t, s, w.tok)
	wantErr(t, "UseNonce(nonce used in committed tx)", s.UseNonce(t.Context(), w.c.ID, "n", 1718000000), store.ErrExists)
}

// testAtomicRollback makes a write of every kind in one transaction and
// then fails: nothing of it may remain.
func testAtomicRollback(t *testing.T, s Store) {
	ctx := t.Context()
	a := newLinked(t, s, "A", oauth.TokenRequest) // updated in the tx
	b := newLinked(t, s, "B", oauth.TokenAccess)  // deleted with its consumer
	c := newLinked(t, s, "C", oauth.TokenAccess)  // loses its integration and token row
	for _, l := range []linked{a, b} {
		mustOK(t, "UseNonce", s.UseNonce(ctx, l.c.ID, "used", 1718000000))
	}
	before := MustSnapshot(t, s)

	var w txWrites
	err := inTx(t, s, func(ctx context.Context, tx Store) error {
		var err error
		if w, err = createAll(ctx, t, tx, "D"); err != nil {
			return err
		}
		in := cloneIntegration(a.in)
		in.Name, in.Status, in.Resources = "A renamed", integration.StatusActive, []string{"Magento_Sales::sales"}
		if err := tx.UpdateIntegration(ctx, in); err != nil {
			return fmt.Errorf("UpdateIntegration: %w", err)
		}
		cons := a.c
		cons.Name, cons.Key, cons.UpdatedAt = "renamed", credential(t), at(600)
		if err := tx.UpdateConsumer(ctx, cons); err != nil {
			return fmt.Errorf("UpdateConsumer: %w", err)
		}
		tok := a.tok
		tok.Type, tok.Token, tok.Secret = oauth.TokenAccess, credential(t), credential(t)
		if err := tx.UpdateToken(ctx, tok, oauth.TokenRequest); err != nil {
			return fmt.Errorf("UpdateToken: %w", err)
		}
		if err := tx.UseNonce(ctx, a.c.ID, "fresh", 1718000000); err != nil {
			return fmt.Errorf("UseNonce: %w", err)
		}
		if err := tx.DeleteIntegration(ctx, b.in.ID); err != nil {
			return fmt.Errorf("DeleteIntegration: %w", err)
		}
		if err := tx.DeleteConsumer(ctx, b.c.ID); err != nil {
			return fmt.Errorf("DeleteConsumer: %w", err)
		}
		if err := tx.DeleteIntegration(ctx, c.in.ID); err != nil {
			return fmt.Errorf("DeleteIntegration: %w", err)
		}
		if err := tx.DeleteToken(ctx, c.c.ID); err != nil {
			return fmt.Errorf("DeleteToken: %w", err)
		}
		return errHalfWay
	})
	if !errors.Is(err, errHalfWay) {
		t.Fatalf("Atomic(fn fails) = %v, want fn's error %v", err, errHalfWay)
	}

	sameState(t, s, before, "a rolled-back Atomic")
	_, err = s.ConsumerByKey(ctx, w.c.Key)
	wantErr(t, "ConsumerByKey(created in rolled-back tx)", err, store.ErrNotFound)
	_, err = s.IntegrationByName(ctx, w.in.Name)
	wantErr(t, "IntegrationByName(created in rolled-back tx)", err, store.ErrNotFound)
	_, err = s.TokenByValue(ctx, w.tok.Token)
	wantErr(t, "TokenByValue(created in rolled-back tx)", err, store.ErrNotFound)
	// The nonce used in the tx is free; the nonce deleted with b's consumer
	// is back.
	wantErr(t, "UseNonce(used in rolled-back tx)", s.UseNonce(ctx, a.c.ID, "fresh", 1718000000), nil)
	wantErr(t, "UseNonce(deleted in rolled-back tx)", s.UseNonce(ctx, b.c.ID, "used", 1718000000), store.ErrExists)
	// What the tx created left no trace that blocks creating it again.
	again := oauth.Consumer{Key: w.c.Key, Secret: w.c.Secret, CreatedAt: at(0), UpdatedAt: at(0)}
	mustOK(t, "CreateConsumer(key of rolled-back consumer)", s.CreateConsumer(ctx, &again))
	newIntegration(t, s, w.in.Name, again.ID)
}

// testAtomicRollbackOnStoreError fails fn with a store error after a
// successful write: the write is undone and the error comes back as is.
func testAtomicRollbackOnStoreError(t *testing.T, s Store) {
	ctx := t.Context()
	a := newIntegration(t, s, "A", 0)
	before := MustSnapshot(t, s)
	err := inTx(t, s, func(ctx context.Context, tx Store) error {
		in := integration.Integration{Name: "B", CreatedAt: at(0), UpdatedAt: at(0)}
		if err := tx.CreateIntegration(ctx, &in); err != nil {
			return err
		}
		dup := integration.Integration{Name: a.Name, CreatedAt: at(0), UpdatedAt: at(0)}
		return tx.CreateIntegration(ctx, &dup)
	})
	wantErr(t, "Atomic(fn returns ErrExists)", err, store.ErrExists)
	sameState(t, s, before, "a rolled-back Atomic")
	_, err = s.IntegrationByName(ctx, "B")
	wantErr(t, "IntegrationByName(created in rolled-back tx)", err, store.ErrNotFound)
}

// testAtomicReadsOwnWrites checks that every read on tx sees the writes
// made earlier on the same tx.
func testAtomicReadsOwnWrites(t *testing.T, s Store) {
	old := newLinked(t, s, "old", oauth.TokenAccess)
	var w txWrites
	err := inTx(t, s, func(ctx context.Context, tx Store) error {
		var err error
		if w, err = createAll(ctx, t, tx, "ERP"); err != nil {
			return err
		}
		checkConsumer(t, tx, w.c)
		checkIntegration(t, tx, w.in)
		checkToken(t, tx, w.tok)
		c, tok, found, err := tx.ConsumerToken(ctx, w.c.Key, w.tok.Token)
		if wantErr(t, "tx.ConsumerToken", err, nil) {
			if !found {
				t.Error("tx.ConsumerToken found = false, want true")
			}
			diff(t, "tx.ConsumerToken consumer", w.c, c)
			diff(t, "tx.ConsumerToken token", w.tok, tok)
		}
		wantErr(t, "tx.UseNonce(used in tx)", tx.UseNonce(ctx, w.c.ID, "n", 1718000000), store.ErrExists)

		w.in.Status = integration.StatusActive
		w.in.Resources = []string{"Magento_Sales::sales", "Magento_Catalog::products"}
		if err := tx.UpdateIntegration(ctx, cloneIntegration(w.in)); err != nil {
			return fmt.Errorf("UpdateIntegration: %w", err)
		}
		checkIntegration(t, tx, w.in)
		w.c.Name = "renamed"
		if err := tx.UpdateConsumer(ctx, w.c); err != nil {
			return fmt.Errorf("UpdateConsumer: %w", err)
		}
		checkConsumer(t, tx, w.c)
		prev := w.tok.Token
		w.tok.Token, w.tok.Type = credential(t), oauth.TokenAccess
		if err := tx.UpdateToken(ctx, w.tok, oauth.TokenAccess); err != nil {
			return fmt.Errorf("UpdateToken: %w", err)
		}
		checkToken(t, tx, w.tok)
		_, err = tx.TokenByValue(ctx, prev)
		wantErr(t, "tx.TokenByValue(replaced in tx)", err, store.ErrNotFound)

		if err := tx.DeleteIntegration(ctx, old.in.ID); err != nil {
			return fmt.Errorf("DeleteIntegration: %w", err)
		}
		_, err = tx.Integration(ctx, old.in.ID)
		wantErr(t, "tx.Integration(deleted in tx)", err, store.ErrNotFound)
		if err := tx.DeleteConsumer(ctx, old.c.ID); err != nil {
			return fmt.Errorf("DeleteConsumer: %w", err)
		}
		_, err = tx.Consumer(ctx, old.c.ID)
		wantErr(t, "tx.Consumer(deleted in tx)", err, store.ErrNotFound)
		_, err = tx.TokenByValue(ctx, old.tok.Token)
		wantErr(t, "tx.TokenByValue(row of consumer deleted in tx)", err, store.ErrNotFound)

		list, err := tx.Integrations(ctx)
		if wantErr(t, "tx.Integrations", err, nil) {
			diff(t, "tx.Integrations", []integration.Integration{w.in}, list)
		}
		return nil
	})
	mustOK(t, "Atomic", err)

	// All of it committed.
	checkConsumer(t, s, w.c)
	checkIntegration(t, s, w.in)
	checkToken(t, s, w.tok)
	_, err = s.Consumer(t.Context(), old.c.ID)
	wantErr(t, "Consumer(deleted in committed tx)", err, store.ErrNotFound)
}
