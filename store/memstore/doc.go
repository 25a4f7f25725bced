// Package memstore is the in-memory storage backend of magekit: the
// embedded default of the emulator and the fake of every test. The
// integrations live in hashicorp/go-memdb; the credentials (consumers and
// token rows) and every unique key live beside it in maps that commit with
// go-memdb's transactions.
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
// Every write runs in one go-memdb write transaction, which holds the
// writer lock from its start to its commit or abort. [Store.Atomic] runs a
// function over one such transaction, so its writes commit together or not
// at all.
//
// # Transactions
//
// go-memdb holds the integrations by id. The consumers and token rows by
// id, and the unique keys of all three (integration name and consumer,
// consumer key and secret, token value and consumer), are plain maps
// (index.go). A write transaction records its changes to them in a pending
// set of its own, which its reads consult first, and applies it when it
// commits, in the same critical section as go-memdb's commit; an abort
// drops it. A reader takes a shared lock and sees the maps of one
// committed transaction or the next, never half of one. A read
// transaction reads go-memdb's snapshot of the integrations as of its
// start, and the maps as they are when it reads them.
//
// # The hot path
//
// The reads of every signed request, [Store.ConsumerToken] and
// [Store.IntegrationByConsumer], cost a shared lock and a map lookup, not
// a go-memdb transaction. Nonces live in a sharded replay cache (a write
// per request would serialise on go-memdb's writer lock), which keeps each
// nonce's bytes in place, in maps and heap pages without a pointer per
// nonce: recording one allocates nothing, and the collector does not visit
// the nonces a busy store keeps.
//
// # Memory
//
// An Active integration with its consumer, access token and grant costs
// 1.3 to 1.5 KB of heap (BenchmarkScale, build tag scale): a million take
// 1.39 GiB. Its integration row takes one go-memdb index entry, a
// go-immutable-radix leaf and, on average, an inner node, each with its
// own watch channel: about 370 bytes whatever the key. Its eight map
// entries (the integration's name and consumer; the consumer's id, key and
// secret; the access token's id, value and consumer) cost a slot of two
// words each; the rest is the records and their strings. A consumer costs
// the replay cache a map only once it has used a nonce. [Capacity] sizes
// the maps before a bulk load, which then runs about twice as fast.
//
// The store works on a go-memdb snapshot, which go-memdb does not track
// for watches (memstore sets none): a commit then costs what its
// transaction wrote, instead of a walk over every index tree once a
// transaction changes more than 8,192 radix nodes.
package memstore
