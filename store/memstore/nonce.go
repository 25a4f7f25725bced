package memstore

import "sync"

// nonceShards spreads consumers over independent locks.
const nonceShards = 64

// nonceCache is the replay cache of oauth_nonce: the nonces each consumer
// used, with their timestamps. It is written on every signed request, so it
// lives outside go-memdb, whose write transactions are serialised and copy
// radix-tree paths on every insert. Consumers are sharded by id; a
// consumer's nonces share one lock, so a reserve is atomic per consumer.
type nonceCache struct {
	shards [nonceShards]nonceShard
}

type nonceShard struct {
	mu sync.Mutex
	m  map[int64]map[string]int64 // consumer id → nonce → timestamp
}

type nonceKey struct {
	consumer int64
	nonce    string
}

func newNonceCache() *nonceCache {
	c := new(nonceCache)
	for i := range c.shards {
		c.shards[i].m = make(map[int64]map[string]int64)
	}
	return c
}

func (c *nonceCache) shard(consumer int64) *nonceShard {
	return &c.shards[uint64(consumer)%nonceShards]
}

// The cache also knows which consumers exist: a consumer has an entry
// (possibly empty) from the commit that created it to the commit that
// deleted it, so the hot path checks the consumer and records the nonce
// under one lock, without a go-memdb transaction.

// open marks consumer as existing.
func (c *nonceCache) open(consumer int64) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m[consumer] == nil {
		sh.m[consumer] = make(map[string]int64)
	}
}

// reserve records nonce for consumer. It reports whether the consumer
// exists (always, when create is set: a transaction that has just created
// it) and whether the nonce was new.
func (c *nonceCache) reserve(consumer int64, nonce string, timestamp int64, create bool) (exists, fresh bool) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	used := sh.m[consumer]
	if used == nil {
		if !create {
			return false, false
		}
		used = make(map[string]int64)
		sh.m[consumer] = used
	}
	if _, ok := used[nonce]; ok {
		return true, false
	}
	used[nonce] = timestamp
	return true, true
}

// release forgets one nonce (a reservation whose transaction aborted).
func (c *nonceCache) release(consumer int64, nonce string) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	delete(sh.m[consumer], nonce)
}

// drop forgets consumer and every nonce of it (the consumer was deleted,
// or the transaction that created it aborted).
func (c *nonceCache) drop(consumer int64) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	delete(sh.m, consumer)
}
