package memstore

import (
	"crypto/sha256"
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
	m  map[int64]map[nonceValue]int64 // consumer id → nonce → timestamp
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
	if sh.byTime.len() <= 2*sh.live+compactSlack {
		return
	}
	sh.byTime.keep(func(e *nonceEntry) bool {
		ts, ok := sh.m[e.consumer][e.nonce]
		return ok && ts == e.timestamp
	})
}

// nonceEntry is one recorded nonce in a shard's heap.
type nonceEntry struct {
	timestamp int64
	consumer  int64
	nonce     nonceValue
}

// nonceValue is a nonce as the cache keeps it: its bytes in place, so that
// neither the maps nor the heap hold a pointer per nonce. The collector
// then never visits the nonces, however many a busy store keeps, and
// recording one allocates nothing. The stored nonce has at most 32
// characters (oauth.MaxNonceLength), so an ASCII one always fits; one
// longer in bytes (non-ASCII characters) is kept as its SHA-256 digest,
// marked by n, so that it can never equal a nonce kept in full.
type nonceValue struct {
	n uint8 // the length of a nonce kept in full, or hashedNonce
	b [sha256.Size]byte
}

const hashedNonce = 0xff

func nonceValueOf(nonce string) nonceValue {
	var v nonceValue
	if len(nonce) <= len(v.b) {
		v.n = uint8(len(nonce))
		copy(v.b[:], nonce)
		return v
	}
	v.n = hashedNonce
	v.b = sha256.Sum256([]byte(nonce))
	return v
}

// nonceHeap is a binary min-heap of entries by timestamp. It is written
// out rather than built on container/heap, whose Push takes an interface
// value and so allocates on every signed request. Its entries live in
// pages of noncePage entries, not in one slice: a slice of a million
// entries would be copied whole each time append grows it, which made
// that copy the largest cost of recording a nonce (BenchmarkUseNonce).
// Growing adds a page; nothing already stored moves.
type nonceHeap struct {
	pages [][]nonceEntry // every page but the last is full
	n     int
}

// noncePage is the number of entries in a page: 56 KiB.
const noncePage = 1024

func (h *nonceHeap) len() int { return h.n }

// at returns the entry at index i < h.n.
func (h *nonceHeap) at(i int) *nonceEntry { return &h.pages[i/noncePage][i%noncePage] }

func (h *nonceHeap) swap(i, j int) {
	a, b := h.at(i), h.at(j)
	*a, *b = *b, *a
}

// add appends e at the end, outside the heap order.
func (h *nonceHeap) add(e nonceEntry) {
	if h.n == len(h.pages)*noncePage {
		h.pages = append(h.pages, make([]nonceEntry, noncePage))
	}
	*h.at(h.n) = e
	h.n++
}

func (h *nonceHeap) push(e nonceEntry) {
	h.add(e)
	for i := h.n - 1; i > 0; {
		parent := (i - 1) / 2
		if h.at(parent).timestamp <= h.at(i).timestamp {
			break
		}
		h.swap(parent, i)
		i = parent
	}
}

// min returns the entry with the least timestamp; h must not be empty.
func (h *nonceHeap) min() *nonceEntry { return h.at(0) }

func (h *nonceHeap) pop() nonceEntry {
	top := *h.at(0)
	h.n--
	last := h.at(h.n)
	*h.at(0) = *last
	*last = nonceEntry{}
	h.trim()
	h.down(0)
	return top
}

// trim gives back the pages beyond the entries, keeping one spare page so
// that a push and a pop at a page's edge do not allocate each time.
func (h *nonceHeap) trim() {
	need := (h.n + noncePage - 1) / noncePage
	if len(h.pages) > need+1 {
		clear(h.pages[need+1:])
		h.pages = h.pages[:need+1]
	}
}

// down moves the entry at i down to its place.
func (h *nonceHeap) down(i int) {
	for {
		least, l, r := i, 2*i+1, 2*i+2
		if l < h.n && h.at(l).timestamp < h.at(least).timestamp {
			least = l
		}
		if r < h.n && h.at(r).timestamp < h.at(least).timestamp {
			least = r
		}
		if least == i {
			return
		}
		h.swap(i, least)
		i = least
	}
}

// keep removes the entries for which live is false and restores the heap
// order over the rest.
func (h *nonceHeap) keep(live func(e *nonceEntry) bool) {
	n := 0
	for i := range h.n {
		if e := h.at(i); live(e) {
			*h.at(n) = *e
			n++
		}
	}
	for i := n; i < h.n; i++ {
		*h.at(i) = nonceEntry{}
	}
	h.n = n
	h.trim()
	for i := h.n/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

type nonceKey struct {
	consumer int64
	nonce    nonceValue
}

// newNonceCache returns an empty cache sized for consumers, spread over
// the shards.
func newNonceCache(consumers int) *nonceCache {
	c := new(nonceCache)
	for i := range c.shards {
		c.shards[i].m = make(map[int64]map[nonceValue]int64, consumers/nonceShards)
	}
	return c
}

func (c *nonceCache) shard(consumer int64) *nonceShard {
	return &c.shards[uint64(consumer)%nonceShards]
}

// The cache also knows which consumers exist: a consumer has an entry
// from the commit that created it to the commit that deleted it, so the
// hot path checks the consumer and records the nonce under one lock,
// without a go-memdb transaction. The entry of a consumer without nonces
// is a nil map: a million integrations that sign nothing cost no map each,
// and a map the cleanup empties is given back.

// open marks consumer as existing.
func (c *nonceCache) open(consumer int64) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.m[consumer]; !ok {
		sh.m[consumer] = nil
	}
}

// reserve records nonce for consumer. It reports whether the consumer
// exists (always, when create is set: a transaction that has just created
// it) and whether the nonce was new.
func (c *nonceCache) reserve(consumer int64, nonce nonceValue, timestamp int64, create bool) (exists, fresh bool) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	used, ok := sh.m[consumer]
	if !ok && !create {
		return false, false
	}
	if used == nil {
		used = make(map[nonceValue]int64)
		sh.m[consumer] = used
	}
	if _, ok := used[nonce]; ok {
		return true, false
	}
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
		for sh.byTime.len() > 0 && sh.byTime.min().timestamp <= before {
			e := sh.byTime.pop()
			used := sh.m[e.consumer]
			if ts, ok := used[e.nonce]; ok && ts == e.timestamp {
				delete(used, e.nonce)
				sh.live--
				n++
				if len(used) == 0 {
					sh.m[e.consumer] = nil // maps do not shrink
				}
			}
		}
		sh.mu.Unlock()
	}
	return n
}

// release forgets one nonce (a reservation whose transaction aborted).
func (c *nonceCache) release(consumer int64, nonce nonceValue) {
	sh := c.shard(consumer)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if used := sh.m[consumer]; used != nil {
		if _, ok := used[nonce]; ok {
			delete(used, nonce)
			sh.live--
			if len(used) == 0 {
				sh.m[consumer] = nil
			}
			sh.maybeCompact()
		}
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
