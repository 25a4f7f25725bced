package memstore

import (
	"strings"
	"sync"
)

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
	// byTime holds every recorded nonce, oldest timestamp first, so that
	// the cleanup pops what it deletes instead of scanning. An entry whose
	// nonce was released or dropped since is stale: the cleanup pops it and
	// deletes nothing, and compact removes stale entries once they
	// outnumber the live nonces, so that deleted consumers leave no memory
	// behind.
	byTime nonceHeap
	live   int // nonces in m
}

// compactSlack is how many stale heap entries a shard tolerates beyond as
// many as it has live nonces.
const compactSlack = 256

// maybeCompact rebuilds the heap without its stale entries when they
// outnumber the live ones: an O(n) pass at most once per n removals.
func (sh *nonceShard) maybeCompact() {
	if len(sh.byTime) <= 2*sh.live+compactSlack {
		return
	}
	kept := sh.byTime[:0]
	for _, e := range sh.byTime {
		if ts, ok := sh.m[e.consumer][e.nonce]; ok && ts == e.timestamp {
			kept = append(kept, e)
		}
	}
	clear(sh.byTime[len(kept):])
	sh.byTime = kept
	if cap(kept) > 4*len(kept)+compactSlack {
		sh.byTime = append(nonceHeap(nil), kept...) // give the memory back
	}
	sh.byTime.init()
}

// nonceEntry is one recorded nonce in a shard's heap.
type nonceEntry struct {
	timestamp int64
	consumer  int64
	nonce     string
}

// nonceHeap is a binary min-heap of entries by timestamp. It is written
// out rather than built on container/heap, whose Push takes an interface
// value and so allocates on every signed request.
type nonceHeap []nonceEntry

func (h *nonceHeap) push(e nonceEntry) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		parent := (i - 1) / 2
		if s[parent].timestamp <= s[i].timestamp {
			break
		}
		s[parent], s[i] = s[i], s[parent]
		i = parent
	}
}

func (h *nonceHeap) pop() nonceEntry {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s[last] = nonceEntry{}
	*h = s[:last]
	h.down(0)
	return top
}

// down moves the entry at i down to its place.
func (h nonceHeap) down(i int) {
	for {
		least, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l].timestamp < h[least].timestamp {
			least = l
		}
		if r < len(h) && h[r].timestamp < h[least].timestamp {
			least = r
		}
		if least == i {
			return
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}

// init establishes the heap order over arbitrary entries.
func (h nonceHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
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
	// The nonce is often a substring of the request's header or body:
	// keep a copy, not the whole request, for as long as the nonce lives.
	nonce = strings.Clone(nonce)
	used[nonce] = timestamp
	sh.live++
	sh.byTime.push(nonceEntry{timestamp, consumer, nonce})
	return true, true
}

// cleanup forgets every nonce whose timestamp is at or before before and
// returns how many it forgot.
func (c *nonceCache) cleanup(before int64) int64 {
	var n int64
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		for len(sh.byTime) > 0 && sh.byTime[0].timestamp <= before {
			e := sh.byTime.pop()
			used := sh.m[e.consumer]
			if ts, ok := used[e.nonce]; ok && ts == e.timestamp {
				delete(used, e.nonce)
				sh.live--
				n++
			}
		}
		sh.mu.Unlock()
	}
	return n
}

// release forgets one nonce (a reservation whose transaction aborted).
func (c *nonceCache) release(consumer int64, nonce string) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.m[consumer][nonce]; ok {
		delete(sh.m[consumer], nonce)
		sh.live--
		sh.maybeCompact()
	}
}

// drop forgets consumer and every nonce of it (the consumer was deleted,
// or the transaction that created it aborted).
func (c *nonceCache) drop(consumer int64) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.live -= len(sh.m[consumer])
	delete(sh.m, consumer)
	sh.maybeCompact()
}
