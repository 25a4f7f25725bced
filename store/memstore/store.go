package memstore

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/go-memdb"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

var (
	_ integration.Store = (*Store)(nil)
	_ integration.Store = (*tx)(nil)
)

// Store is the go-memdb backend. The zero value is not usable; call [New].
// A Store is safe for concurrent use.
type Store struct {
	db  *memdb.MemDB
	seq *sequences
}

// sequences hands out ids, like AUTO_INCREMENT: an id taken by a
// transaction that rolls back is not reused.
type sequences struct {
	integration, consumer, token atomic.Int64
}

// New returns an empty store. It fails only if the schema is invalid.
func New() (*Store, error) {
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		return nil, fmt.Errorf("memstore: schema: %w", err)
	}
	return &Store{db: db, seq: new(sequences)}, nil
}

// Atomic runs fn over one write transaction: its writes commit together
// when fn returns nil, and are discarded otherwise. Writers are serialised,
// so fn should not block for long. fn's error is returned unchanged.
func (s *Store) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	txn := s.db.Txn(true)
	defer txn.Abort()
	if err := fn(ctx, &tx{txn: txn, seq: s.seq}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// read runs fn over a read transaction.
func (s *Store) read(ctx context.Context, fn func(t *tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(&tx{txn: s.db.Txn(false), seq: s.seq})
}

// write runs fn over its own write transaction.
func (s *Store) write(ctx context.Context, fn func(t *tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	txn := s.db.Txn(true)
	defer txn.Abort()
	if err := fn(&tx{txn: txn, seq: s.seq}); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// tx is the Store seen from inside a transaction.
type tx struct {
	txn *memdb.Txn
	seq *sequences
}

// Atomic on a transaction joins it: fn runs in the same transaction, whose
// owner decides whether it commits.
func (t *tx) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(ctx, t)
}

func (t *tx) first(table, index string, args ...any) (any, error) {
	obj, err := t.txn.First(table, index, args...)
	if err != nil {
		return nil, fmt.Errorf("memstore: %s by %s: %w", table, index, err)
	}
	return obj, nil
}
