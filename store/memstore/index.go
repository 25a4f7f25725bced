package memstore

import (
	"sync"

	"github.com/hashicorp/go-memdb"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

// indexes are memstore's unique secondary indexes, kept in plain maps
// beside go-memdb, which holds the rows by id. A go-memdb index entry is a
// go-immutable-radix leaf and inner node with a watch channel each, about
// 370 bytes whatever its key; a map entry is a slot of two words. With six
// of an Active integration's nine entries here, it costs half the heap
// (BenchmarkScale), and the reads of every signed request
// ([Store.ConsumerToken], [Store.IntegrationByConsumer]) take a shared
// lock and a map lookup, not a go-memdb transaction.
//
// Every index is unique and leaves out rows without a key (an empty
// string, consumer id 0, a token row with no value), as go-memdb's field
// indexers did. The maps hold the rows go-memdb holds, by pointer: records
// are copied on the way in and never changed in place.
//
// A write transaction does not touch the committed maps: it records its
// changes in a pending set of its own (a key it frees maps to nil), which
// its reads consult first, so they see its writes and nobody else does.
// Commit applies the pending set to the committed maps under mu, in the
// same critical section as go-memdb's Commit; an abort drops it. Writers
// are serialised by go-memdb, so the committed maps move from one committed
// state to the next in commit order, and a reader never sees half a
// transaction.
type indexes struct {
	mu        sync.RWMutex
	committed indexSet
}

// indexSet is one set of the six indexes: the committed ones, or a write
// transaction's pending changes, where a nil row marks a key the
// transaction freed.
type indexSet struct {
	integrationByName     map[string]*integration.Integration
	integrationByConsumer map[int64]*integration.Integration
	consumerByKey         map[string]*oauth.Consumer
	consumerBySecret      map[string]*oauth.Consumer
	tokenByValue          map[string]*oauth.Token
	tokenByConsumer       map[int64]*oauth.Token
}

func newIndexes() *indexes {
	return &indexes{committed: indexSet{
		integrationByName:     make(map[string]*integration.Integration),
		integrationByConsumer: make(map[int64]*integration.Integration),
		consumerByKey:         make(map[string]*oauth.Consumer),
		consumerBySecret:      make(map[string]*oauth.Consumer),
		tokenByValue:          make(map[string]*oauth.Token),
		tokenByConsumer:       make(map[int64]*oauth.Token),
	}}
}

// The keys each row has in each index; false leaves the row out.
func integrationName(in *integration.Integration) (string, bool) { return in.Name, in.Name != "" }
func integrationConsumer(in *integration.Integration) (int64, bool) {
	return in.ConsumerID, in.ConsumerID != 0
}
func consumerKey(c *oauth.Consumer) (string, bool)    { return c.Key, c.Key != "" }
func consumerSecret(c *oauth.Consumer) (string, bool) { return c.Secret, c.Secret != "" }
func tokenValue(t *oauth.Token) (string, bool)        { return t.Token, t.Token != "" }
func tokenConsumer(t *oauth.Token) (int64, bool)      { return t.ConsumerID, t.ConsumerID != 0 }

// find returns the row with key k as the transaction sees it: its pending
// change if it made one, the committed row otherwise. pending may be nil.
// The caller holds the indexes' read lock, or is the writer.
func find[K comparable, R any](committed, pending map[K]*R, k K) *R {
	if r, ok := pending[k]; ok {
		return r
	}
	return committed[k]
}

// move records in *pending that a row changed from before to after
// (either nil for an insert or a delete): before's key is freed if it
// still maps to before (another row of the same transaction may have
// taken it since), and after's key maps to after.
func move[K comparable, R any](committed map[K]*R, pending *map[K]*R, before, after *R, key func(*R) (K, bool)) {
	if *pending == nil {
		*pending = make(map[K]*R)
	}
	if before != nil {
		if k, ok := key(before); ok && find(committed, *pending, k) == before {
			(*pending)[k] = nil
		}
	}
	if after != nil {
		if k, ok := key(after); ok {
			(*pending)[k] = after
		}
	}
}

// apply writes a transaction's pending changes into a committed map.
func apply[K comparable, R any](committed, pending map[K]*R) {
	for k, r := range pending {
		if r == nil {
			delete(committed, k)
		} else {
			committed[k] = r
		}
	}
}

// commit commits txn and applies pending to the committed maps.
func (x *indexes) commit(txn *memdb.Txn, pending *indexSet) {
	x.mu.Lock()
	defer x.mu.Unlock()
	// The maps first: go-memdb's Commit lets the next writer in, and it
	// reads the committed maps.
	c := &x.committed
	apply(c.integrationByName, pending.integrationByName)
	apply(c.integrationByConsumer, pending.integrationByConsumer)
	apply(c.consumerByKey, pending.consumerByKey)
	apply(c.consumerBySecret, pending.consumerBySecret)
	apply(c.tokenByValue, pending.tokenByValue)
	apply(c.tokenByConsumer, pending.tokenByConsumer)
	txn.Commit()
}

// credentials returns the consumer with key and, when token is not empty,
// the token row whose value is token: the one read of every signed
// request.
func (x *indexes) credentials(key, token string) (*oauth.Consumer, *oauth.Token) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	con := x.committed.consumerByKey[key]
	if con == nil || token == "" {
		return con, nil
	}
	return con, x.committed.tokenByValue[token]
}

// lookup runs find over one committed index, or over it and a write
// transaction's pending changes, under the read lock.
func lookup[K comparable, R any](x *indexes, committed, pending map[K]*R, k K) *R {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return find(committed, pending, k)
}

// The transaction's view of each index.

func (t *tx) integrationByName(name string) *integration.Integration {
	return lookup(t.idx, t.idx.committed.integrationByName, t.pending.integrationByName, name)
}

func (t *tx) integrationByConsumer(id int64) *integration.Integration {
	return lookup(t.idx, t.idx.committed.integrationByConsumer, t.pending.integrationByConsumer, id)
}

func (t *tx) consumerByKey(key string) *oauth.Consumer {
	return lookup(t.idx, t.idx.committed.consumerByKey, t.pending.consumerByKey, key)
}

func (t *tx) consumerBySecret(secret string) *oauth.Consumer {
	return lookup(t.idx, t.idx.committed.consumerBySecret, t.pending.consumerBySecret, secret)
}

func (t *tx) tokenByValue(value string) *oauth.Token {
	return lookup(t.idx, t.idx.committed.tokenByValue, t.pending.tokenByValue, value)
}

func (t *tx) tokenByConsumer(id int64) *oauth.Token {
	return lookup(t.idx, t.idx.committed.tokenByConsumer, t.pending.tokenByConsumer, id)
}

// The transaction's changes to each table's indexes. Only the writer calls
// them, so the committed maps they read cannot change meanwhile.

func (t *tx) indexIntegration(before, after *integration.Integration) {
	c, p := &t.idx.committed, &t.pending
	move(c.integrationByName, &p.integrationByName, before, after, integrationName)
	move(c.integrationByConsumer, &p.integrationByConsumer, before, after, integrationConsumer)
}

func (t *tx) indexConsumer(before, after *oauth.Consumer) {
	c, p := &t.idx.committed, &t.pending
	move(c.consumerByKey, &p.consumerByKey, before, after, consumerKey)
	move(c.consumerBySecret, &p.consumerBySecret, before, after, consumerSecret)
}

func (t *tx) indexToken(before, after *oauth.Token) {
	c, p := &t.idx.committed, &t.pending
	move(c.tokenByValue, &p.tokenByValue, before, after, tokenValue)
	move(c.tokenByConsumer, &p.tokenByConsumer, before, after, tokenConsumer)
}
