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
// atomic; every write checks the unique keys explicitly (integration name
// and consumer, consumer key and secret, token value, one token row per
// consumer, nonce per consumer).
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
// go-memdb holds the rows by id. Their unique keys (integration name and
// consumer, consumer key and secret, token value and consumer) live beside
// it in plain maps, which every write transaction changes through a
// pending set of its own and applies when it commits (index.go): the reads
// of every signed request, [Store.ConsumerToken] and
// [Store.IntegrationByConsumer], cost a shared lock and a map lookup, not
// a go-memdb transaction. Reads inside a transaction see its own writes.
// Nonces live in a sharded replay cache (a write per request would
// serialise on go-memdb's writer lock), which keeps each nonce's bytes in
// place, in maps and heap pages without a pointer per nonce: recording one
// allocates nothing, and the collector does not visit the nonces a busy
// store keeps.
//
// # Memory
//
// An Active integration with its consumer, access token and grant costs
// about 2.1 KB of heap (BenchmarkScale, build tag scale). Its three rows
// take one go-memdb index entry each, a leaf and, on average, an inner
// node of go-immutable-radix, every one with its own watch channel, about
// 370 bytes an entry whatever the key; a map entry costs a slot of two
// words. The store works on a go-memdb snapshot, which go-memdb does not
// track for watches (memstore sets none): a commit then costs what its
// transaction wrote, instead of a walk over every index tree once a
// transaction changes more than 8,192 radix nodes.
package memstore
