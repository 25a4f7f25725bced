package signature

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// macPairs are credential pairs of every shape the key takes: Magento's
// 32-character secrets (a 65-byte key, hashed first), short ones, an empty
// token secret, secrets that need percent-encoding and a key of exactly
// one block.
var macPairs = [][2]string{
	{"sphwnjuicgswx1g2adhwd8k53dg008va", "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p"},
	{"c", "t"},
	{"sphwnjuicgswx1g2adhwd8k53dg008va", ""},
	{"a b&c", "é/%"},
	{strings.Repeat("k", 31), strings.Repeat("s", 32)},
	{strings.Repeat("k", 200), "t"},
}

// TestKeyedMAC checks that a signature made from a cached keyed state is
// macBase64's, for both methods and every shape of key, cached or not.
func TestKeyedMAC(t *testing.T) {
	msg := append(make([]byte, hmacBlock), "GET&http%3A%2F%2Fshop.example.com%2Frest%2FV1%2Fproducts&oauth_nonce%3D1"...)
	var m macHashes
	for _, method := range []string{HMACSHA256, HMACSHA1} {
		for _, p := range macPairs {
			var want, got [base64Max]byte
			n := macBase64(&want, method, msg, p[0], p[1])
			c := newMacKeyCache()
			if k := c.get(&m, method, p[0], p[1]); k != nil {
				t.Errorf("%s %q: kept the first time it was seen", method, p)
			}
			for round := range 2 { // computed and kept, then read
				k := c.get(&m, method, p[0], p[1])
				if k == nil {
					t.Fatalf("%s %q round %d: not kept the second time it was seen", method, p, round)
				}
				if g := m.mac(&got, k, msg[hmacBlock:]); string(got[:g]) != string(want[:n]) {
					t.Errorf("%s %q round %d: %s, want %s", method, p, round, got[:g], want[:n])
				}
			}
		}
	}
}

// TestMacKeyCacheCollision checks that a pair whose slot holds another
// pair's state is not signed with it.
func TestMacKeyCacheCollision(t *testing.T) {
	c := newMacKeyCache()
	var m macHashes
	a, b := macPairs[0], macPairs[1]
	c.get(&m, HMACSHA256, a[0], a[1])
	ka := c.get(&m, HMACSHA256, a[0], a[1])
	c.get(&m, HMACSHA256, b[0], b[1])
	kb := c.get(&m, HMACSHA256, b[0], b[1])
	// Plant a's state under every hash the cache holds, b's included.
	for i := range c.shards {
		sh := &c.shards[i]
		for h := range sh.m {
			sh.m[h] = ka
		}
	}
	if got := c.get(&m, HMACSHA256, b[0], b[1]); got == nil || got == ka || got.consumerSecret != b[0] || got.tokenSecret != b[1] || got.inner != kb.inner {
		t.Errorf("get(b) returned a's state, or another state than b's")
	}
	c.get(&m, HMACSHA1, a[0], a[1])
	if got := c.get(&m, HMACSHA1, a[0], a[1]); got == nil || !got.sha1() || got.inner == ka.inner {
		t.Errorf("get(HMAC-SHA1, a) returned the HMAC-SHA256 state")
	}
}

// TestMacKeyCacheBounded checks that the cache keeps at most
// macKeyShards*macKeysPerShard pairs however many it sees, and that pairs
// as alike as Magento's secrets spread over every shard (a hash that
// combined two hashes once left 52 of the 64 shards empty).
func TestMacKeyCacheBounded(t *testing.T) {
	c := newMacKeyCache()
	var m macHashes
	const pairs = 3 * macKeyShards * macKeysPerShard
	for i := range pairs {
		cs, ts := fmt.Sprintf("%032d", i), fmt.Sprintf("t%031d", i)
		c.get(&m, HMACSHA256, cs, ts) // seen once,
		c.get(&m, HMACSHA256, cs, ts) // then kept
	}
	n := 0
	for i := range c.shards {
		if l := len(c.shards[i].m); l > macKeysPerShard {
			t.Errorf("shard %d holds %d pairs, want at most %d", i, l, macKeysPerShard)
		}
		n += len(c.shards[i].m)
	}
	if n != macKeyShards*macKeysPerShard {
		t.Errorf("the cache holds %d pairs after %d, want %d: every shard full", n, pairs, macKeyShards*macKeysPerShard)
	}
}

// TestMacKeyCacheConcurrent signs from many goroutines at once, with more
// pairs than one shard holds, so that entries are added, read and evicted
// together; run with -race.
func TestMacKeyCacheConcurrent(t *testing.T) {
	c := newMacKeyCache()
	msg := []byte("GET&http%3A%2F%2Fshop.example.com%2F&oauth_nonce%3D1")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var m macHashes
			full := append(make([]byte, hmacBlock), msg...) // macBase64's scratch
			for i := range 2000 {
				cs, ts := fmt.Sprint("c", (i*7+g)%(2*macKeysPerShard)), "t"
				var want, got [base64Max]byte
				n := macBase64(&want, HMACSHA256, full, cs, ts)
				k := c.get(&m, HMACSHA256, cs, ts)
				if k == nil {
					continue // seen for the first time lately
				}
				if gn := m.mac(&got, k, msg); string(got[:gn]) != string(want[:n]) {
					t.Errorf("pair %s: %s, want %s", cs, got[:gn], want[:n])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestMacKeyCacheDoorkeeper checks that pairs seen once are not kept, so
// that more pairs in turn than the cache holds cost no allocation, and
// that a pair seen twice is.
func TestMacKeyCacheDoorkeeper(t *testing.T) {
	c := newMacKeyCache()
	var m macHashes
	pairs := make([][2]string, 2*macKeyShards*macSeenPerShard)
	for i := range pairs {
		pairs[i] = [2]string{fmt.Sprintf("%032d", i), fmt.Sprintf("t%031d", i)}
	}
	i := 0
	allocs := testing.AllocsPerRun(len(pairs)-1, func() {
		p := pairs[i]
		i++
		if k := c.get(&m, HMACSHA256, p[0], p[1]); k != nil {
			t.Fatalf("pair %d kept the first time it was seen", i)
		}
	})
	if allocs != 0 && !raceEnabled {
		t.Errorf("a pair seen once costs %v allocations, want 0", allocs)
	}
	for i := range c.shards {
		if n := len(c.shards[i].m); n != 0 {
			t.Errorf("shard %d keeps %d pairs seen once", i, n)
		}
	}
	p := pairs[len(pairs)-1]
	if c.get(&m, HMACSHA256, p[0], p[1]) == nil {
		t.Error("the last pair seen, seen again, is not kept")
	}
	// Once the shards are full, keeping a pair costs its entry alone: the
	// hashes are m's, the maps are made at their full size.
	full := 2 * macKeyShards * macKeysPerShard
	for _, p := range pairs[:full] {
		c.get(&m, HMACSHA256, p[0], p[1])
		c.get(&m, HMACSHA256, p[0], p[1])
	}
	j := full // pairs never kept
	allocs = testing.AllocsPerRun(2000, func() {
		p := pairs[j]
		j++
		c.get(&m, HMACSHA256, p[0], p[1])
		c.get(&m, HMACSHA256, p[0], p[1])
	})
	if allocs > 1.1 && !raceEnabled { // a map rehashing now and then
		t.Errorf("keeping a pair costs %v allocations, want 1", allocs)
	}
}
