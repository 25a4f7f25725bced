package signature

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// Profile is a set of signature rules: how parameters are extracted from a
// request, how the base string is built and which signature methods are
// accepted. The zero value is [Magento247]. A Profile is a plain value,
// safe for concurrent use; its methods are pure.
type Profile int

const (
	// Magento247 is Magento Open Source 2.4.7 (docs/magento-behaviour.md §7.2, §9.1): OAuth
	// parameters from the Authorization header only, PHP parse_str for form
	// bodies, rawurldecode for the query, duplicate names collapsed,
	// laminas-oauth URL normalisation, PHP natural order of encoded names,
	// HMAC-SHA256 only.
	Magento247 Profile = iota
	// Magento243 is Magento up to 2.4.3 (docs/magento-behaviour.md §9.3): as Magento247, but the
	// path is signed as received (ZF1 normalisation: host lower-cased,
	// default port dropped), the query is form-decoded ('+' is a space), and
	// HMAC-SHA1 is accepted as well.
	Magento243
	// RFC5849 is RFC 5849 read strictly: parameters from the header (realm
	// excluded), the form body and the query, duplicates kept and sorted by
	// encoded name then value in byte order (§3.4.1.3.2), the base string
	// URI of §3.4.1.2, HMAC-SHA1 and HMAC-SHA256. Its request-token answer
	// carries oauth_callback_confirmed=true (§2.1).
	RFC5849
)

// Signature methods (RFC 5849 §3.4.2; docs/magento-behaviour.md §8.1).
const (
	HMACSHA1   = "HMAC-SHA1"
	HMACSHA256 = "HMAC-SHA256"
)

// ParseProfile returns the profile named s: "2.4.7", "2.4.3" or "rfc5849",
// the values of the emulator's -profile flag.
func ParseProfile(s string) (Profile, error) {
	switch s {
	case "2.4.7":
		return Magento247, nil
	case "2.4.3":
		return Magento243, nil
	case "rfc5849":
		return RFC5849, nil
	}
	return 0, fmt.Errorf("oauth: unknown profile %q (want 2.4.7, 2.4.3 or rfc5849)", s)
}

// String returns the name ParseProfile accepts.
func (p Profile) String() string {
	switch p {
	case Magento247:
		return "2.4.7"
	case Magento243:
		return "2.4.3"
	case RFC5849:
		return "rfc5849"
	}
	return fmt.Sprintf("Profile(%d)", int(p))
}

// Supports reports whether p accepts signatureMethod, compared exactly
// and case-sensitively as Magento compares it (docs/magento-behaviour.md §8.2 step 4).
func (p Profile) Supports(signatureMethod string) bool {
	switch signatureMethod {
	case HMACSHA256:
		return true
	case HMACSHA1:
		return p != Magento247
	}
	return false
}

// SigningKey returns the HMAC key of RFC 5849 §3.4.2 and docs/magento-behaviour.md §9.1 step 7:
// the encoded consumer secret, '&', the encoded token secret (empty when
// there is no token).
func SigningKey(consumerSecret, tokenSecret string) string {
	return string(appendKey(nil, consumerSecret, tokenSecret))
}

func appendKey(b []byte, consumerSecret, tokenSecret string) []byte {
	b = appendEncoded(b, consumerSecret)
	b = append(b, '&')
	return appendEncoded(b, tokenSecret)
}

// Sign returns the base64 (standard alphabet, padded) HMAC of base keyed
// with [SigningKey]. It fails when p does not support signatureMethod.
func (p Profile) Sign(signatureMethod, base, consumerSecret, tokenSecret string) (string, error) {
	if !p.Supports(signatureMethod) {
		return "", fmt.Errorf("oauth: profile %s: signature method %q is not supported", p, signatureMethod)
	}
	buf := make([]byte, hmacBlock, hmacBlock+len(base))
	buf = append(buf, base...)
	var sig [base64Max]byte
	n := macBase64(&sig, signatureMethod, buf, consumerSecret, tokenSecret)
	return string(sig[:n]), nil
}

const (
	hmacBlock = 64 // the block size of SHA-1 and SHA-256
	base64Max = 44 // base64 of a SHA-256 sum
)

// macBase64 writes the base64 HMAC of msg[hmacBlock:] into sig and returns
// its length. msg's first hmacBlock bytes are scratch space: HMAC's inner
// pad is written there so that the inner hash is one call over one slice
// and nothing is allocated.
func macBase64(sig *[base64Max]byte, method string, msg []byte, consumerSecret, tokenSecret string) int {
	var keyBuf [128]byte
	key := appendKey(keyBuf[:0], consumerSecret, tokenSecret)
	var pad [hmacBlock + sha256.Size]byte
	if len(key) > hmacBlock {
		if method == HMACSHA1 {
			s := sha1.Sum(key)
			key = append(keyBuf[:0], s[:]...)
		} else {
			s := sha256.Sum256(key)
			key = append(keyBuf[:0], s[:]...)
		}
	}
	for i := range hmacBlock {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		msg[i] = k ^ 0x36
		pad[i] = k ^ 0x5c
	}
	var sum []byte
	if method == HMACSHA1 {
		inner := sha1.Sum(msg)
		copy(pad[hmacBlock:], inner[:])
		outer := sha1.Sum(pad[:hmacBlock+sha1.Size])
		sum = outer[:]
	} else {
		inner := sha256.Sum256(msg)
		copy(pad[hmacBlock:], inner[:])
		outer := sha256.Sum256(pad[:])
		sum = outer[:]
	}
	n := base64.StdEncoding.EncodedLen(len(sum))
	base64.StdEncoding.Encode(sig[:n], sum)
	return n
}

// verifyMAC reports whether got is the base64 HMAC of msg[hmacBlock:],
// compared in constant time (docs/magento-behaviour.md §9.1 step 9). got is rawurlencoded when
// escaped; it is decoded on the stack.
func verifyMAC(method string, msg []byte, consumerSecret, tokenSecret, got string, escaped bool) bool {
	var want [base64Max]byte
	n := macBase64(&want, method, msg, consumerSecret, tokenSecret)
	return equalMAC(want[:n], got, escaped)
}

// equalMAC reports whether got, rawurlencoded when escaped, is want,
// compared in constant time; got is decoded on the stack.
func equalMAC(want []byte, got string, escaped bool) bool {
	n := len(want)
	// Decoding turns at most three bytes into one and never lengthens, so
	// a got outside [n, 3n] cannot decode to n bytes, and one inside fits g.
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

// BaseURI returns requestURL as p puts it into the base string, before it
// is percent-encoded: laminas-oauth normalisation for [Magento247] (docs/magento-behaviour.md
// §9.1 step 5), ZF1 for [Magento243] (§9.3), the base string URI of RFC
// 5849 §3.4.1.2 for [RFC5849]. It fails for a scheme other than http or
// https, as laminas-oauth throws (a 500 in Magento).
func (p Profile) BaseURI(requestURL string) (string, error) {
	u, err := splitURL(requestURL)
	if err != nil {
		return "", err
	}
	b, err := p.appendBaseURI(nil, u)
	return string(b), err
}

func (p Profile) appendBaseURI(b []byte, u urlParts) ([]byte, error) {
	switch p {
	case Magento243:
		return appendZF1URL(b, u), nil
	case RFC5849:
		return appendRFCURL(b, u)
	}
	return appendLaminasURL(b, u), nil
}

// BaseString returns the signature base string (RFC 5849 §3.4.1.1): the
// upper-cased method, the encoded [Profile.BaseURI] of requestURL and the
// encoded parameter string, joined by '&'. params are decoded, as
// [Profile.Params] returns them; oauth_signature is left out wherever it
// is. The Magento profiles collapse duplicate names as PHP does (the last
// value, at the place of the first) and sort by encoded name in PHP natural
// order (docs/magento-behaviour.md §9.1 step 3); RFC5849 keeps duplicates and sorts by encoded
// name, then value, in byte order. It fails as [Profile.BaseURI] fails.
func (p Profile) BaseString(method, requestURL string, params []Param) (string, error) {
	s := paramSet{list: make([]param, 0, len(params))}
	for _, x := range params {
		if p == RFC5849 {
			s.add(x.Name, x.Value)
		} else {
			s.set(x.Name, x.Value, false)
		}
	}
	u, err := splitURL(requestURL)
	if err != nil {
		return "", err
	}
	sc := signedPool.Get().(*Signed)
	defer sc.Release()
	msg, err := sc.base.build(p, method, u, s.list)
	if err != nil {
		return "", err
	}
	return string(msg[hmacBlock:]), nil
}
