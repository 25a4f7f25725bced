package signature

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding"
	"encoding/base64"
	"hash"
	"hash/maphash"
	"sync"
)

// keyedMAC is HMAC keyed for one credential pair (RFC 2104): the hash's
// state after the block of the key's inner pad, and after its outer pad,
// marshaled as crypto/hmac keeps them. Restoring them costs two copies
// where keying costs up to four hash blocks (a 65-byte Magento key is
// hashed first, two blocks, then each pad is one) and the key's encoding.
type keyedMAC struct {
	method, consumerSecret, tokenSecret string
	inner, outer                        hashState
}

// hashState is a marshaled SHA-1 or SHA-256 state (96 or 108 bytes), in
// place, so that an entry is one allocation and one run of memory.
type hashState struct {
	n int
	b [112]byte
}

func (h *hashState) bytes() []byte { return h.b[:h.n] }

// macKeyShards and macKeysPerShard bound macKeys: 16,384 credential
// pairs in all. macSeenPerShard is the size of each shard's doorkeeper.
const (
	macKeyShards    = 64
	macKeysPerShard = 256
	macSeenPerShard = 1024
)

// macKeyCache keeps the keyed state of the credential pairs that signed
// requests lately: up to macKeysPerShard pairs in each of macKeyShards
// maps, the shard picked by the pair's hash, an arbitrary pair making
// room for a newcomer in a full shard. A pair is kept the second time it
// is seen within a while (a doorkeeper remembers the hashes of pairs seen
// once, a newer one replacing an older one in its slot): with more pairs
// in use than the cache holds, a pair would be evicted before its next
// use, and preparing its state each time would cost more than the four
// hash blocks it saves (README, Performance). It holds at most 16,384
// entries of about 300 bytes (6 MiB with their secrets, measured) and
// 512 KiB of doorkeepers, and only pairs a store holds: Matches is called
// with the secrets of a consumer and token the provider found. An entry
// never changes once stored.
type macKeyCache struct {
	seed   maphash.Seed
	shards [macKeyShards]macKeyShard
}

type macKeyShard struct {
	mu   sync.RWMutex
	m    map[uint64]*keyedMAC // by the pair's hash; the entry holds the pair
	seen [macSeenPerShard]uint64
}

var macKeys = newMacKeyCache()

func newMacKeyCache() *macKeyCache { return &macKeyCache{seed: maphash.MakeSeed()} }

// get returns the keyed state of the pair under method (HMAC-SHA1, or
// HMAC-SHA256 for any other value, as macBase64), or nil when the cache
// does not keep it (yet): the caller then keys the HMAC itself. A state it
// prepares is computed with m's hashes.
func (c *macKeyCache) get(m *macHashes, method, consumerSecret, tokenSecret string) *keyedMAC {
	sha1 := method == HMACSHA1
	// One hash over both secrets: combining two hashes (XOR, even with a
	// multiplier) of Magento's look-alike secrets left most shards unused.
	var mh maphash.Hash
	mh.SetSeed(c.seed)
	mh.WriteString(consumerSecret)
	mh.WriteByte(0)
	mh.WriteString(tokenSecret)
	h := mh.Sum64()
	if sha1 {
		h = ^h
	}
	sh := &c.shards[h%macKeyShards]
	sh.mu.RLock()
	k := sh.m[h]
	sh.mu.RUnlock()
	// The strings the store hands out are usually the very ones of the
	// entry, which makes these comparisons a pointer test.
	if k != nil && k.consumerSecret == consumerSecret && k.tokenSecret == tokenSecret && k.sha1() == sha1 {
		return k
	}
	seen := &sh.seen[h/macKeyShards%macSeenPerShard]
	sh.mu.Lock()
	second := *seen == h
	*seen = h
	sh.mu.Unlock()
	if !second {
		return nil
	}
	if k = m.keyed(method, consumerSecret, tokenSecret); k == nil {
		return nil
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m == nil {
		sh.m = make(map[uint64]*keyedMAC, macKeysPerShard)
	}
	if _, ok := sh.m[h]; !ok && len(sh.m) >= macKeysPerShard {
		for old := range sh.m {
			delete(sh.m, old)
			break
		}
	}
	sh.m[h] = k // a pair whose hash another has replaces it
	return k
}

func (k *keyedMAC) sha1() bool { return k.method == HMACSHA1 }

// keyed prepares the keyed state of a pair with m's hashes: the only
// allocation is the entry. It returns nil if a hash cannot give its state,
// which crypto/sha1 and crypto/sha256 always can.
func (m *macHashes) keyed(method, consumerSecret, tokenSecret string) *keyedMAC {
	k := &keyedMAC{method: HMACSHA256, consumerSecret: consumerSecret, tokenSecret: tokenSecret}
	if method == HMACSHA1 {
		k.method = HMACSHA1
	}
	m.use(k.method)
	h := m.inner
	h.Reset()
	key := appendKey(m.key[:0], consumerSecret, tokenSecret)
	if len(key) > hmacBlock {
		h.Write(key)
		key = h.Sum(m.key[:0])
		h.Reset()
	}
	pad := &m.pad
	for i := range pad {
		pad[i] = 0x36
		if i < len(key) {
			pad[i] ^= key[i]
		}
	}
	h.Write(pad[:])
	ok := keepState(&k.inner, h)
	h.Reset()
	for i := range pad {
		pad[i] ^= 0x36 ^ 0x5c
	}
	h.Write(pad[:])
	ok = ok && keepState(&k.outer, h)
	// The scratch outlives the request in the pool: no key stays there.
	clear(m.key[:])
	clear(pad[:])
	if !ok {
		return nil
	}
	return k
}

func newMACHash(method string) hash.Hash {
	if method == HMACSHA1 {
		return sha1.New()
	}
	return sha256.New()
}

// keepState writes h's marshaled state into dst (crypto/sha1 and
// crypto/sha256 marshal in 96 and 108 bytes) and reports whether it could.
func keepState(dst *hashState, h hash.Hash) bool {
	a, ok := h.(encoding.BinaryAppender)
	if !ok {
		return false
	}
	b, err := a.AppendBinary(dst.b[:0])
	if err != nil || len(b) > len(dst.b) {
		return false
	}
	dst.n = len(b)
	return true
}

// macHashes are the two hashes of an HMAC and the scratch their sums and
// a key being prepared go to, kept in a pooled Signed so that a
// verification allocates nothing (a sum written to a stack array through
// an interface would escape).
type macHashes struct {
	method       string
	inner, outer hash.Hash
	sum          [2 * sha256.Size]byte
	key          [128]byte // a key being prepared: two encoded secrets, or their hash
	pad          [hmacBlock]byte
}

// mac writes into sig the base64 HMAC of msg under k and returns its
// length: macBase64 with the key already applied. It returns 0 if a hash
// refuses a state it gave (it does not).
func (m *macHashes) mac(sig *[base64Max]byte, k *keyedMAC, msg []byte) int {
	m.use(k.method)
	if !restoreHash(m.inner, k.inner.bytes()) {
		return 0
	}
	m.inner.Write(msg)
	inner := m.inner.Sum(m.sum[:0])
	if !restoreHash(m.outer, k.outer.bytes()) {
		return 0
	}
	m.outer.Write(inner)
	sum := m.outer.Sum(m.sum[len(inner):len(inner)])
	n := base64.StdEncoding.EncodedLen(len(sum))
	base64.StdEncoding.Encode(sig[:n], sum)
	return n
}

// use makes m's hashes those of method, HMAC-SHA1 or HMAC-SHA256.
func (m *macHashes) use(method string) {
	if m.inner == nil || m.method != method {
		m.method, m.inner, m.outer = method, newMACHash(method), newMACHash(method)
	}
}

func restoreHash(h hash.Hash, state []byte) bool {
	u, ok := h.(encoding.BinaryUnmarshaler)
	return ok && u.UnmarshalBinary(state) == nil
}
