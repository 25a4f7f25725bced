package oauth

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding"
	"encoding/base64"
	"hash"
	"sync"
)

// macKeysMax bounds the keyed HMAC states a [Provider] keeps: one per
// credential pair that signed a request lately. Only pairs read from the
// store are cached, after the nonce is recorded, so an anonymous caller
// cannot fill it with keys of its own.
const macKeysMax = 1 << 14

// macKeys caches, per signing method and key, the hash states after HMAC's
// inner and outer pad blocks (RFC 2104). HMAC of a request then costs the
// hash of the base string and one block, as a reused hmac.Hash does: the
// key (65 bytes for Magento's credentials, so hashed first) is not hashed
// and padded again on every request. The states derive from the secrets,
// so they live as long as the entry and are never logged.
type macKeys struct {
	mu sync.RWMutex
	m  map[string]*macState
}

// macState is the marshalled hash state after the inner and the outer pad.
type macState struct {
	sha1  bool
	inner []byte
	outer []byte
}

// macWork is the per-request hashing state, pooled: hash.Hash values and
// the buffers their Sum appends to escape to the heap.
type macWork struct {
	sha256   [2]hash.Hash
	sha1     [2]hash.Hash
	innerSum [sha256.Size]byte
	outerSum [sha256.Size]byte
	key      [1 + 128]byte
}

var macWorkPool = sync.Pool{New: func() any { return new(macWork) }}

// hashes returns the inner and outer hash of the method, created once per
// pooled macWork.
func (w *macWork) hashes(sha1Method bool) (hash.Hash, hash.Hash) {
	if sha1Method {
		if w.sha1[0] == nil {
			w.sha1 = [2]hash.Hash{sha1.New(), sha1.New()}
		}
		return w.sha1[0], w.sha1[1]
	}
	if w.sha256[0] == nil {
		w.sha256 = [2]hash.Hash{sha256.New(), sha256.New()}
	}
	return w.sha256[0], w.sha256[1]
}

// state returns the cached state of (method, key), computing and keeping
// it when missing. lookup is the method's tag byte followed by the key.
func (k *macKeys) state(w *macWork, lookup []byte) *macState {
	k.mu.RLock()
	st := k.m[string(lookup)]
	k.mu.RUnlock()
	if st != nil {
		return st
	}
	st = newMACState(w, lookup[0] == '1', lookup[1:])
	k.mu.Lock()
	if k.m == nil {
		k.m = make(map[string]*macState)
	}
	if len(k.m) >= macKeysMax {
		// Any entry goes: map order is unspecified, and a pair that keeps
		// signing comes back at the cost of one key derivation.
		for name := range k.m {
			delete(k.m, name)
			break
		}
	}
	k.m[string(lookup)] = st
	k.mu.Unlock()
	return st
}

// newMACState derives the pad states of key.
func newMACState(w *macWork, sha1Method bool, key []byte) *macState {
	var hashed [sha256.Size]byte
	if len(key) > hmacBlock {
		if sha1Method {
			s := sha1.Sum(key)
			key = append(hashed[:0], s[:]...)
		} else {
			s := sha256.Sum256(key)
			key = append(hashed[:0], s[:]...)
		}
	}
	var ipad, opad [hmacBlock]byte
	copy(ipad[:], key)
	copy(opad[:], key)
	for i := range hmacBlock {
		ipad[i] ^= 0x36
		opad[i] ^= 0x5c
	}
	inner, outer := w.hashes(sha1Method)
	inner.Reset()
	inner.Write(ipad[:])
	outer.Reset()
	outer.Write(opad[:])
	st := &macState{sha1: sha1Method}
	// The standard library's SHA-1 and SHA-256 marshal their state; an
	// error here would be a broken toolchain.
	var err error
	if st.inner, err = inner.(encoding.BinaryMarshaler).MarshalBinary(); err != nil {
		panic("oauth: hash state: " + err.Error())
	}
	if st.outer, err = outer.(encoding.BinaryMarshaler).MarshalBinary(); err != nil {
		panic("oauth: hash state: " + err.Error())
	}
	return st
}

// macBase64 is the package-level macBase64 with the keyed state taken from
// the cache: the same bytes, fewer blocks hashed.
func (k *macKeys) macBase64(sig *[base64Max]byte, method string, msg []byte, consumerSecret, tokenSecret string) int {
	w := macWorkPool.Get().(*macWork)
	defer macWorkPool.Put(w)
	sha1Method := method == HMACSHA1
	tag := byte('2')
	if sha1Method {
		tag = '1'
	}
	lookup := appendKey(append(w.key[:0], tag), consumerSecret, tokenSecret)
	st := k.state(w, lookup)
	clear(w.key[:]) // the key does not stay in the pool
	inner, outer := w.hashes(sha1Method)
	size := sha256.Size
	if sha1Method {
		size = sha1.Size
	}
	if err := inner.(encoding.BinaryUnmarshaler).UnmarshalBinary(st.inner); err != nil {
		panic("oauth: hash state: " + err.Error())
	}
	inner.Write(msg[hmacBlock:])
	sum := inner.Sum(w.innerSum[:0])
	if err := outer.(encoding.BinaryUnmarshaler).UnmarshalBinary(st.outer); err != nil {
		panic("oauth: hash state: " + err.Error())
	}
	outer.Write(sum[:size])
	sum = outer.Sum(w.outerSum[:0])
	n := base64.StdEncoding.EncodedLen(size)
	base64.StdEncoding.Encode(sig[:n], sum[:size])
	return n
}

// verify reports whether got is the base64 HMAC of msg[hmacBlock:], as
// verifyMAC does, with the keyed state from the cache; k nil means none.
func (k *macKeys) verify(method string, msg []byte, consumerSecret, tokenSecret, got string, escaped bool) bool {
	var want [base64Max]byte
	var n int
	if k == nil {
		n = macBase64(&want, method, msg, consumerSecret, tokenSecret)
	} else {
		n = k.macBase64(&want, method, msg, consumerSecret, tokenSecret)
	}
	return equalMAC(want[:n], got, escaped)
}

// equalMAC compares want with got, rawurlencoded when escaped, in constant
// time. Decoding turns at most three bytes into one and never lengthens,
// so a got outside [n, 3n] cannot decode to n bytes, and one inside fits
// the stack buffer.
func equalMAC(want []byte, got string, escaped bool) bool {
	n := len(want)
	if len(got) < n || len(got) > 3*n || !escaped && len(got) != n {
		return false
	}
	var g [3 * base64Max]byte
	dec := append(g[:0], got...)
	if escaped {
		dec, _ = appendDecoded(g[:0], got, false)
	}
	return len(dec) == n && hmac.Equal(want, dec)
}
