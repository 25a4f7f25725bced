package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

var (
	_ integration.Store = (*Store)(nil)
	_ integration.Store = (*tx)(nil)
	_ oauth.OwnerStore  = (*Store)(nil)
	_ oauth.Cleaner     = (*Store)(nil)
)

// Store is the database/sql backend. The zero value is not usable; call
// [Open]. A Store is safe for concurrent use, by many goroutines and by
// many processes sharing the database: uniqueness (integration name and
// consumer, consumer key and secret, token value, one token row per
// consumer, nonce per consumer) is enforced by the database's keys.
type Store struct {
	db      *sql.DB
	dialect dialect
	trips   atomic.Int64
	// plain runs statements on the pool, outside any transaction.
	plain tx
	// wlock serialises this process's SQLite writers on a channel rather
	// than on SQLite's busy-wait; nil for MySQL, which locks rows.
	wlock chan struct{}
}

// Open connects to the database that dsn names and creates or migrates its
// schema. dsn is the emulator's -store value:
//
//	sqlite:PATH            a SQLite file, created if missing
//	mysql:DSN              a MySQL or MariaDB database, DSN in
//	                       go-sql-driver/mysql's format
//
// Open returns an error for any other form, and if the database cannot be
// reached or migrated. Two processes may Open one fresh database at once.
// The caller must Close the Store.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	db, d, err := openDSN(dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, dialect: d}
	s.plain = tx{q: counted{db, &s.trips}, dialect: d, store: s}
	if d == dialectSQLite {
		s.wlock = make(chan struct{}, 1)
	}
	// Opening a fresh SQLite file turns it to WAL, which SQLite may refuse
	// with SQLITE_BUSY, without waiting, while another process does the
	// same: both steps are retried then.
	if err := s.retryBusy(ctx, func() error { return db.PingContext(ctx) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: connect to %s: %w", d, err)
	}
	if err := s.retryBusy(ctx, func() error { return s.migrate(ctx) }); err != nil {
		db.Close()
		return nil, err
	}
	if d == dialectSQLite {
		p, err := newPrepared(ctx, db, d.consumerTokenQuery(), d.consumerTokenOwnerQuery(), useNonceQuery)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlstore: prepare: %w", err)
		}
		s.plain.q = counted{p, &s.trips}
	}
	return s, nil
}

// retryBusy runs fn until it returns anything but a busy error (SQLite
// only), for at most busyWait.
func (s *Store) retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(busyWait)
	pause := 5 * time.Millisecond
	for {
		err := fn()
		if err == nil || !s.dialect.busy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return err
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// Close closes the connection pool. Calls in progress may fail; the Store
// must not be used afterwards.
func (s *Store) Close() error {
	return s.db.Close()
}

// RoundTrips returns how many statements, BEGINs, COMMITs and ROLLBACKs the
// Store has sent to the database since Open (migrations and Check aside).
// With MySQL each is one network round trip: arguments are interpolated
// client side, so no statement is prepared. It is meant for benchmarks and
// metrics and is safe for concurrent use.
func (s *Store) RoundTrips() int64 {
	return s.trips.Load()
}

// Atomic runs fn with a Store whose writes commit together when fn returns
// nil, and are rolled back otherwise; fn's error is returned unchanged.
// The tx handed to fn implements [integration.Store]; Atomic on it joins
// the same transaction. fn must use tx, not the receiver, and tx must not
// be used after fn returns.
//
// With SQLite the transaction begins IMMEDIATE: it holds the database's
// write lock throughout, so writers are serialised as in memstore. With
// MySQL it runs READ COMMITTED and its reads lock the rows they return
// (SELECT ... FOR UPDATE), so a read-modify-write of a row is not lost to a
// concurrent writer; InnoDB may still end one of two transactions that
// lock rows in opposite orders with a deadlock error. The transaction is
// then run again, fn included, up to deadlockRetries times: fn must have
// no effect outside tx.
func (s *Store) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	return s.atomic(ctx, func(t *tx) error { return fn(ctx, t) })
}

// deadlockRetries is how many times a transaction that MySQL ended with a
// deadlock is run again.
const deadlockRetries = 3

// atomic runs fn inside one transaction, again when MySQL ends it with a
// deadlock.
func (s *Store) atomic(ctx context.Context, fn func(t *tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.atomicOnce(ctx, fn)
		if err == nil || attempt == deadlockRetries || !s.dialect.deadlock(err) {
			return err
		}
	}
}

// atomicOnce runs fn inside one transaction.
func (s *Store) atomicOnce(ctx context.Context, fn func(t *tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	opts := s.dialect.txOptions()
	if opts != nil {
		s.trips.Add(1) // SET TRANSACTION ISOLATION LEVEL
	}
	s.trips.Add(1)
	stx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	done := false
	defer func() {
		if !done { // fn failed or panicked
			s.trips.Add(1)
			stx.Rollback()
		}
	}()
	t := &tx{q: counted{stx, &s.trips}, dialect: s.dialect, lock: s.dialect.lockSuffix(), store: s, inTx: true}
	if err := fn(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	done = true
	s.trips.Add(1)
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// write runs fn, a single-statement write, outside a transaction.
func (s *Store) write(ctx context.Context, fn func(t *tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	return fn(&s.plain)
}

func (s *Store) lockWriter(ctx context.Context) error {
	if s.wlock == nil {
		return nil
	}
	select {
	case s.wlock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) unlockWriter() {
	if s.wlock != nil {
		<-s.wlock
	}
}

// querier is what *sql.DB, *sql.Tx and *sql.Conn share: the query code
// runs on any of them.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// counted is a querier that counts the statements it sends.
type counted struct {
	q querier
	n *atomic.Int64
}

func (c counted) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.q.ExecContext(ctx, query, args...)
}

func (c counted) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.q.QueryContext(ctx, query, args...)
}

func (c counted) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.q.QueryRowContext(ctx, query, args...)
}

// tx is the store seen through one querier: the Store's pool (Store.plain)
// or a transaction. It implements every store method; the Store's own
// methods choose where each runs.
type tx struct {
	q       querier
	dialect dialect
	// lock is appended to reads inside a transaction (dialect.lockSuffix).
	lock  string
	store *Store
	inTx  bool
}

// Atomic on a transaction joins it: fn runs in the same transaction, whose
// owner decides whether it commits.
func (t *tx) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	if !t.inTx {
		return t.store.Atomic(ctx, fn)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(ctx, t)
}

// multi runs fn, a write of several statements, in t's transaction or, on
// the pool, in a transaction of its own.
func (t *tx) multi(ctx context.Context, fn func(t *tx) error) error {
	if t.inTx {
		return fn(t)
	}
	return t.store.atomic(ctx, fn)
}

// rowsAffected reports the rows a statement matched.
func rowsAffected(res sql.Result) (int64, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: rows affected: %w", err)
	}
	return n, nil
}
