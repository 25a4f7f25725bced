// Package memstore is the in-memory storage backend of magekit, built on
// hashicorp/go-memdb: the embedded default of the emulator and the fake of
// every test.
//
// A [Store] implements [integration.Store] and with it [oauth.Store]. It is
// typed (go-memdb's interface{} results never leave the package), copies
// records in and out so a caller can never change a stored record, returns
// the sentinels of package store (never a zero value with a nil error), and
// is safe for concurrent use. go-memdb serialises write transactions, so a
// uniqueness check followed by an insert inside one write transaction is
// atomic; go-memdb does not enforce Unique on secondary indexes by itself,
// so every write checks them explicitly (integration name and consumer,
// consumer key and secret, token value, one token row per consumer, nonce
// per consumer).
//
// # Usage
//
//	s, err := memstore.New()
//	if err != nil { ... }
//	svc := integration.NewService(s, integration.Config{})
//
// Every write follows one pattern: txn := db.Txn(true); defer txn.Abort();
// the changes; txn.Commit(). [Store.Atomic] runs a function over one such
// transaction, so its writes commit together or not at all.
//
// # The hot path
//
// Two things every signed request touches live beside go-memdb: nonces, in
// a sharded replay cache (a write per request would serialise on
// go-memdb's writer lock), and the credential read of
// [Store.ConsumerToken], served from maps of consumers by key and tokens by
// value that each commit updates from go-memdb's tracked changes, in commit
// order. Reads inside a transaction still go through go-memdb and so see
// the transaction's own writes. The replay cache keeps each nonce's bytes
// in place, in maps and heap pages without a pointer per nonce: recording
// one allocates nothing, and the collector does not visit the nonces a
// busy store keeps.
//
// # Memory
//
// An Active integration with its consumer, access token and grant costs
// about 4.6 KB of heap (BenchmarkScale, build tag scale). Nine go-memdb
// index entries make about 70% of it: each is a leaf and, on
// average, an inner node of go-immutable-radix, every one with its own
// watch channel, about 360 bytes an entry whatever the key. The rest is
// the records, their index keys and the credential maps. Fewer bytes per
// integration would take fewer go-memdb indexes, that is keeping the
// credentials outside go-memdb altogether. The store works on a go-memdb
// snapshot, which go-memdb does not track for watches (memstore sets
// none): a commit then costs what its transaction wrote, instead of a walk
// over every index tree once a transaction changes more than 8,192 radix
// nodes.
package memstore
