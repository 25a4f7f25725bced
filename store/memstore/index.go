package memstore

import (
	"sync"

	"github.com/hashicorp/go-memdb"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

// indexes hold what memstore keeps beside go-memdb: the credentials,
// consumers and token rows by id, and the unique keys of every row
// (integration name and consumer, consumer key and secret, token value and
// consumer), in plain maps. go-memdb holds the integrations by id. A
// go-memdb index entry is a go-immutable-radix leaf and inner node with a
// watch channel each, about 370 bytes whatever its key; a map entry is a
// slot of two words. An Active integration, with its consumer and access
// token, costs one go-memdb entry and eight map entries (BenchmarkScale),
// and the reads of every signed request ([Store.ConsumerToken],
// [Store.IntegrationByConsumer]) take a shared lock and a map lookup, not
// a go-memdb transaction.
//
// An empty string is a key like any other, as in sqlstore's UNIQUE
// constraints: a second integration named "", or a second consumer whose
// key or secret is "", is refused with store.ErrExists. The indexes by
// consumer leave out rows without one (consumer id 0, which sqlstore
// stores as NULL). The maps hold the rows by pointer, the integrations the same
// pointers as go-memdb: records are copied on the way in and never changed
// in place.
//
// A write transaction does not touch the committed maps: it records its
// changes in a pending set of its own (a key it frees maps to nil), which
// its reads consult first, so they see its writes and nobody else does.
// Commit applies the pending set to the committed maps under mu, in the
// same critical section as go-memdb's Commit; an abort drops it. Writers
// are serialised by go-memdb's writer lock, which every write transaction
// holds from its start, so the committed maps move from one committed
// state to the next in commit order, a reader never sees half a
// transaction, and the writer may read them without mu.
type indexes struct {
	mu        sync.RWMutex
	committed indexSet
}

// indexSet is one set of the maps: the committed ones, or a write
// transaction's pending changes, where a nil row marks a key the
// transaction freed.
type indexSet struct {
	integrationByName     map[string]*integration.Integration
	integrationByConsumer map[int64]*integration.Integration
	consumerByID          map[int64]*oauth.Consumer // the consumers
	consumerByKey         map[string]*oauth.Consumer
	consumerBySecret      map[string]*oauth.Consumer
	tokenByID             map[int64]*oauth.Token // the token rows
	tokenByValue          map[string]*oauth.Token
	tokenByConsumer       map[int64]*oauth.Token
	requestTokens         map[int64]*oauth.Token // by id, request tokens only
}

// newIndexes returns empty indexes sized for n integrations, each with its
// consumer and token. Request tokens are few at any time, whatever n.
func newIndexes(n int) *indexes {
	return &indexes{committed: indexSet{
		integrationByName:     make(map[string]*integration.Integration, n),
		integrationByConsumer: make(map[int64]*integration.Integration, n),
		consumerByID:          make(map[int64]*oauth.Consumer, n),
		consumerByKey:         make(map[string]*oauth.Consumer, n),
		consumerBySecret:      make(map[string]*oauth.Consumer, n),
		tokenByID:             make(map[int64]*oauth.Token, n),
		tokenByValue:          make(map[string]*oauth.Token, n),
		tokenByConsumer:       make(map[int64]*oauth.Token, n),
		requestTokens:         make(map[int64]*oauth.Token),
	}}
}

// The keys each row has in each index; false leaves the row out.
func integrationName(in *integration.Integration) (string, bool) { return in.Name, true }
func integrationConsumer(in *integration.Integration) (int64, bool) {
	return in.ConsumerID, in.ConsumerID != 0
}
func consumerID(c *oauth.Consumer) (int64, bool)      { return c.ID, true }
func consumerKey(c *oauth.Consumer) (string, bool)    { return c.Key, true }
func consumerSecret(c *oauth.Consumer) (string, bool) { return c.Secret, true }
func tokenID(t *oauth.Token) (int64, bool)            { return t.ID, true }
func tokenValue(t *oauth.Token) (string, bool)        { return t.Token, true }
func tokenConsumer(t *oauth.Token) (int64, bool)      { return t.ConsumerID, t.ConsumerID != 0 }
func requestTokenID(t *oauth.Token) (int64, bool)     { return t.ID, t.Type == oauth.TokenRequest }

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
// (either nil for an insert or a delete): before's key is freed, and
// after's key maps to after. The caller has checked that no other row
// holds after's key; before's key is before's own, as every key is the
// row's that has it.
func move[K comparable, R any](pending *map[K]*R, before, after *R, key func(*R) (K, bool)) {
	if *pending == nil {
		*pending = make(map[K]*R)
	}
	if before != nil {
		if k, ok := key(before); ok {
			(*pending)[k] = nil
		}
	}
	if after != nil {
		if k, ok := key(after); ok {
			(*pending)[k] = after
		}
	}
}

// keys lists the keys a transaction sees, in no order.
func keys[K comparable, R any](committed, pending map[K]*R) []K {
	out := make([]K, 0, len(committed)+len(pending))
	for k := range committed {
		if r, changed := pending[k]; !changed || r != nil {
			out = append(out, k)
		}
	}
	for k, r := range pending {
		if _, ok := committed[k]; !ok && r != nil {
			out = append(out, k)
		}
	}
	return out
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
	apply(c.consumerByID, pending.consumerByID)
	apply(c.consumerByKey, pending.consumerByKey)
	apply(c.consumerBySecret, pending.consumerBySecret)
	apply(c.tokenByID, pending.tokenByID)
	apply(c.tokenByValue, pending.tokenByValue)
	apply(c.tokenByConsumer, pending.tokenByConsumer)
	apply(c.requestTokens, pending.requestTokens)
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

func (t *tx) consumerByID(id int64) *oauth.Consumer {
	return lookup(t.idx, t.idx.committed.consumerByID, t.pending.consumerByID, id)
}

func (t *tx) consumerByKey(key string) *oauth.Consumer {
	return lookup(t.idx, t.idx.committed.consumerByKey, t.pending.consumerByKey, key)
}

func (t *tx) consumerBySecret(secret string) *oauth.Consumer {
	return lookup(t.idx, t.idx.committed.consumerBySecret, t.pending.consumerBySecret, secret)
}

func (t *tx) tokenByID(id int64) *oauth.Token {
	return lookup(t.idx, t.idx.committed.tokenByID, t.pending.tokenByID, id)
}

func (t *tx) tokenByValue(value string) *oauth.Token {
	return lookup(t.idx, t.idx.committed.tokenByValue, t.pending.tokenByValue, value)
}

func (t *tx) tokenByConsumer(id int64) *oauth.Token {
	return lookup(t.idx, t.idx.committed.tokenByConsumer, t.pending.tokenByConsumer, id)
}

// The transaction's changes to each table's indexes.

func (t *tx) indexIntegration(before, after *integration.Integration) {
	p := &t.pending
	move(&p.integrationByName, before, after, integrationName)
	move(&p.integrationByConsumer, before, after, integrationConsumer)
}

func (t *tx) indexConsumer(before, after *oauth.Consumer) {
	p := &t.pending
	move(&p.consumerByID, before, after, consumerID)
	move(&p.consumerByKey, before, after, consumerKey)
	move(&p.consumerBySecret, before, after, consumerSecret)
}

func (t *tx) indexToken(before, after *oauth.Token) {
	p := &t.pending
	move(&p.tokenByID, before, after, tokenID)
	move(&p.tokenByValue, before, after, tokenValue)
	move(&p.tokenByConsumer, before, after, tokenConsumer)
	move(&p.requestTokens, before, after, requestTokenID)
}
