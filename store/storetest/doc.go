// Package storetest checks magekit storage backends against the store
// contract, as testing/fstest checks file systems, and provides a
// fault-injecting wrapper for the reliability tests of the packages above
// the store.
//
// The contract is the one documented on [integration.Store] and the
// interfaces it embeds ([oauth.ConsumerStore], [oauth.TokenStore],
// [oauth.NonceStore], [oauth.CredentialStore], [oauth.Store.Atomic]) with
// the sentinels of package [store]. [Run] is written for a backend it has
// not seen, an SQL database included: it assumes ids are positive and
// increasing, not that they start at 1 or are dense, and it only uses
// times in UTC and whole seconds, which a backend that truncates
// timestamps keeps exactly.
//
// # Usage
//
// Each backend's conformance test is a single call:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Store {
//			s, err := memstore.New()
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// Run gives each named subtest a fresh store from the factory, so a
// single failing check runs alone with
// go test -run 'TestConformance/AtomicRollback'.
//
// For reliability tests, wrap a store in a [Faulty], count the writes an
// operation makes, then fail each in turn and compare a [Snapshot] taken
// before with one taken after: see the [Faulty] documentation.
//
// # What Run covers
//
//   - The sentinels of every method: store.ErrNotFound for missing ids,
//     names, keys, token values and consumers (never a zero value with a
//     nil error), store.ErrExists for every uniqueness rule (integration
//     name and consumer, consumer key and secret, token value, one token
//     row per consumer, nonce per consumer but not across consumers), and
//     store.ErrConflict for an UpdateToken whose from is not the row's type.
//   - Round trips of every field of Integration, Consumer and Token;
//     UpdateToken keeps ConsumerID and CreatedAt. Resources keep their order;
//     for no resources a backend may return nil or an empty slice (the
//     suite compares with cmpopts.EquateEmpty). Lookups documented as exact
//     match neither fold case nor ignore trailing spaces.
//   - Copy semantics: changing a value, its Resources included, after
//     passing it to the store or reading it never changes what is stored.
//   - DeleteConsumer's cascade to the consumer's token row and nonces, and
//     DeleteIntegration leaving the consumer alone.
//   - Integrations ordered by ID; IntegrationByConsumer.
//   - ConsumerToken: an unknown key is store.ErrNotFound; an empty or
//     unknown token is found = false; a token of another consumer is
//     returned with found = true, since the caller checks ownership.
//   - A cancelled context: every method, on the store and on a
//     transaction, returns an error matching context.Canceled and changes
//     nothing; an Atomic whose context is cancelled while fn runs commits
//     nothing.
//   - Atomic: commit when fn returns nil; rollback of every kind of write
//     when fn fails half-way, with fn's error returned; the tx implements
//     integration.Store and reads its own writes.
//   - Races: 32 goroutines released together by a barrier create one
//     integration name, one consumer key, one consumer's token row, use one
//     nonce, and exchange one request token (UpdateToken's compare-and-set
//     and oauth.IssueAccessToken): exactly one succeeds each time.
//
// Run does not cover what the contract leaves open: whether ids are reused
// after the newest row is deleted, what DeleteConsumer does to an
// integration that references the consumer, and which error wins when a
// write breaks two rules at once.
package storetest
