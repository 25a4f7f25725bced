package memstore

import (
	"sync"

	"github.com/hashicorp/go-memdb"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

// credCache mirrors three of go-memdb's indexes, consumers by key, token
// rows by value and integrations by consumer, in plain maps for the reads
// of every signed request (Store.ConsumerToken, then
// Store.IntegrationByConsumer to learn who signed). A go-memdb read costs a
// transaction and several allocations per lookup; a map read under a
// shared lock costs neither.
//
// The maps hold the same immutable records as go-memdb (records are copied
// on the way in and never changed in place). Every write transaction
// tracks its changes; commit applies them under mu, in the same critical
// section as go-memdb's Commit, so the maps move from one committed state
// to the next in commit order and a reader never sees half a transaction.
type credCache struct {
	mu         sync.RWMutex
	consumers  map[string]*oauth.Consumer         // by Key
	tokens     map[string]*oauth.Token            // by Token; rows with an empty Token are not kept
	byConsumer map[int64]*integration.Integration // by ConsumerID; integrations without one are not kept
}

func newCredCache() *credCache {
	return &credCache{
		consumers:  make(map[string]*oauth.Consumer),
		tokens:     make(map[string]*oauth.Token),
		byConsumer: make(map[int64]*integration.Integration),
	}
}

// commit commits txn and applies its consumer and token changes.
func (c *credCache) commit(txn *memdb.Txn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	changes := txn.Changes()
	txn.Commit()
	for _, ch := range changes {
		switch ch.Table {
		case tableConsumer:
			// A row's change comes at the place of its last write in the
			// transaction, so another row may already have taken the old
			// key: delete it only if it still maps to this row.
			if b, ok := ch.Before.(*oauth.Consumer); ok && c.consumers[b.Key] == b {
				delete(c.consumers, b.Key)
			}
			if a, ok := ch.After.(*oauth.Consumer); ok {
				c.consumers[a.Key] = a
			}
		case tableIntegration:
			if b, ok := ch.Before.(*integration.Integration); ok && c.byConsumer[b.ConsumerID] == b {
				delete(c.byConsumer, b.ConsumerID)
			}
			if a, ok := ch.After.(*integration.Integration); ok && a.ConsumerID != 0 {
				c.byConsumer[a.ConsumerID] = a
			}
		case tableToken:
			if b, ok := ch.Before.(*oauth.Token); ok && b.Token != "" && c.tokens[b.Token] == b {
				delete(c.tokens, b.Token)
			}
			if a, ok := ch.After.(*oauth.Token); ok && a.Token != "" {
				c.tokens[a.Token] = a
			}
		}
	}
}

// lookup returns the consumer with key and, when token is not empty, the
// row whose value is token.
func (c *credCache) lookup(key, token string) (*oauth.Consumer, *oauth.Token) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	con := c.consumers[key]
	if con == nil || token == "" {
		return con, nil
	}
	return con, c.tokens[token]
}

// integration returns the integration of the consumer with id.
func (c *credCache) integration(consumerID int64) *integration.Integration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byConsumer[consumerID]
}
