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
	db     *memdb.MemDB
	seq    *sequences
	nonces *nonceCache
	idx    *indexes
}

// sequences hands out ids, like AUTO_INCREMENT: an id taken by a
// transaction that rolls back is not reused.
type sequences struct {
	integration, consumer, token atomic.Int64
}

// An Option configures a Store at [New].
type Option func(*options)

type options struct {
	capacity int
}

// Capacity sizes the store for n integrations, each with its consumer and
// token, before any is loaded: the maps of the credentials and unique keys
// (index.go) and the replay cache's consumers are allocated at their final
// size, so loading n integrations does not grow and rehash them as it goes
// (BenchmarkScale/sized). It is a hint: the store holds more, and until it
// fills up, the unused space is heap it holds all the same. n <= 0 is no
// hint, and a hint above [MaxCapacity] counts as MaxCapacity.
func Capacity(n int) Option {
	return func(o *options) { o.capacity = min(max(n, 0), MaxCapacity) }
}

// MaxCapacity is the largest hint [Capacity] honours: 787 MiB of maps
// allocated up front (measured; twice the hint took 1,574 MiB). A store sized for it still grows past it as it
// fills.
const MaxCapacity = 1 << 21

// New returns an empty store. It fails only if the schema is invalid.
func New(opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	n := o.capacity
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		return nil, fmt.Errorf("memstore: schema: %w", err)
	}
	// The store works on a snapshot of the empty database, which is a
	// database of its own that go-memdb does not track for watches:
	// memstore sets no watch, and a tracked write transaction records
	// every radix node it changes and, past 8,192 of them (a transaction
	// of a few hundred integrations), walks every index tree whole at
	// commit to find what changed. Untracked, a commit costs what the
	// transaction wrote, however large the store (BenchmarkScale).
	return &Store{db: db.Snapshot(), seq: new(sequences), nonces: newNonceCache(n), idx: newIndexes(n)}, nil
}

// Atomic runs fn over one write transaction: its writes commit together
// when fn returns nil, and are discarded otherwise. Writers are serialised,
// so fn should not block for long. fn's error is returned unchanged.
func (s *Store) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := s.begin()
	defer t.abort()
	if err := fn(ctx, t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t.commit()
	return nil
}

// read runs fn over a read transaction.
func (s *Store) read(ctx context.Context, fn func(t *tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(&tx{txn: s.db.Txn(false), seq: s.seq, nonces: s.nonces, idx: s.idx})
}

// write runs fn over its own write transaction.
func (s *Store) write(ctx context.Context, fn func(t *tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := s.begin()
	defer t.abort()
	if err := fn(t); err != nil {
		return err
	}
	t.commit()
	return nil
}

// begin opens a write transaction.
func (s *Store) begin() *tx {
	return &tx{txn: s.db.Txn(true), seq: s.seq, nonces: s.nonces, idx: s.idx}
}

// tx is the Store seen from inside a transaction. Nonces used in a write
// transaction are reserved in the replay cache at once (so that exactly one
// of two racing uses wins) and released if it aborts; the nonces of
// consumers it deletes are dropped when it commits.
type tx struct {
	txn    *memdb.Txn
	seq    *sequences
	nonces *nonceCache
	idx    *indexes
	done   bool

	// pending holds the write transaction's changes to the indexes
	// (index.go); it is empty in a read transaction.
	pending indexSet

	usedNonces   []nonceKey
	newConsumers []int64
	dropNonces   []int64
}

// commit commits the transaction and applies its changes to the indexes
// and the nonce cache.
func (t *tx) commit() {
	// New consumers get their nonce entry before they become visible, so
	// that a request that finds one can record its nonce at once.
	for _, id := range t.newConsumers {
		t.nonces.open(id)
	}
	t.idx.commit(t.txn, &t.pending)
	t.done = true
	for _, id := range t.dropNonces {
		t.nonces.drop(id)
	}
}

// abort discards the transaction and releases the nonces it reserved. It
// does nothing after commit.
func (t *tx) abort() {
	if t.done {
		return
	}
	t.done = true
	t.txn.Abort()
	for _, k := range t.usedNonces {
		t.nonces.release(k.consumer, k.nonce)
	}
	for _, id := range t.newConsumers {
		t.nonces.drop(id)
	}
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
