package signature

import (
	"slices"
	"strings"
)

// Param is one request parameter after extraction: its name and value
// percent-decoded, exactly as the signer sees them before it encodes them
// for the base string (docs/magento-behaviour.md §7.2, RFC 5849 §3.4.1.3.1).
type Param struct {
	Name  string
	Value string
}

// Names of the protocol parameters (RFC 5849 §3.1, docs/magento-behaviour.md §8.2).
const (
	ParamConsumerKey     = "oauth_consumer_key"
	ParamNonce           = "oauth_nonce"
	ParamSignature       = "oauth_signature"
	ParamSignatureMethod = "oauth_signature_method"
	ParamTimestamp       = "oauth_timestamp"
	ParamToken           = "oauth_token"
	ParamVerifier        = "oauth_verifier"
	ParamVersion         = "oauth_version"
	ParamCallback        = "oauth_callback"
)

// IsOAuthName reports whether name matches Magento's protocol-parameter
// test, the regular expression `oauth_[a-z_-]+` applied unanchored and
// case-sensitively (docs/magento-behaviour.md §7.2): "xoauth_foo" and "partner_oauth_ref" match,
// "OAUTH_X", "realm" and "oauth_" do not.
func IsOAuthName(name string) bool {
	// Look around each '_', which is rarer in names than 'o'.
	for i := 0; ; i++ {
		j := strings.IndexByte(name[i:], '_')
		if j < 0 {
			return false
		}
		i += j
		if i >= len("oauth") && name[i-len("oauth"):i] == "oauth" && i+1 < len(name) {
			if c := name[i+1]; c >= 'a' && c <= 'z' || c == '_' || c == '-' {
				return true
			}
		}
	}
}

// rawURLDecode is PHP's rawurldecode: every %XX with two hex digits
// becomes its byte; a lone % and '+' stay as they are. It allocates only
// when s holds an escape.
func rawURLDecode(s string) string { return phpDecode(s, false) }

// formDecode is PHP's urldecode: rawURLDecode that also turns '+' into a
// space.
func formDecode(s string) string { return phpDecode(s, true) }

func phpDecode(s string, plus bool) string {
	if firstEscape(s, plus) < 0 {
		return s
	}
	// Decoding never lengthens s: a short s is decoded on the stack, and
	// the string conversion is the only allocation.
	var tmp [128]byte
	b := tmp[:0]
	if len(s) > len(tmp) {
		b = make([]byte, 0, len(s))
	}
	b, _ = appendDecoded(b, s, plus)
	return string(b)
}

// appendDecoded appends s decoded. It also reports whether s is what
// appendEncoded makes of its decoding: unreserved bytes, and escapes with
// upper-case hex of the other bytes only. Such a name, as sent, is its own
// encoding.
func appendDecoded(b []byte, s string, plus bool) ([]byte, bool) {
	// Decoding never lengthens: grow b once and write by index.
	n := len(b)
	b = slices.Grow(b, len(s))
	w := b[n : n+len(s)]
	encoded := true
	j := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case unreservedTable[c]:
		case c == '%' && i+2 < len(s) && hexValue[s[i+1]]|hexValue[s[i+2]] < 16:
			c = hexValue[s[i+1]]<<4 | hexValue[s[i+2]]
			encoded = encoded && isUpperHex(s[i+1]) && isUpperHex(s[i+2]) && !unreservedTable[c]
			i += 2
		case c == '+' && plus:
			c = ' '
			encoded = false
		default:
			encoded = false
		}
		w[j] = c
		j++
	}
	return b[:n+j], encoded
}

// hexValue maps a hex digit to its value and every other byte to 0xff.
var hexValue = func() (t [256]byte) {
	for c := range 256 {
		t[c] = 0xff
		if isHex(byte(c)) {
			t[c] = unhex(byte(c))
		}
	}
	return t
}()

func isUpperHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

const upperHex = "0123456789ABCDEF"

// unreserved reports whether c is left alone by the RFC 3986 encoding of
// RFC 5849 §3.6 (and laminas-oauth's Utility::urlEncode): A–Z a–z 0–9 - . _ ~.
func unreserved(c byte) bool { return unreservedTable[c] }

var unreservedTable = func() (t [256]bool) {
	for c := range 256 {
		b := byte(c)
		t[c] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
			b == '-' || b == '.' || b == '_' || b == '~'
	}
	return t
}()

// appendEncoded appends the RFC 3986 encoding of s (RFC 5849 §3.6),
// copying runs of unreserved bytes at once.
func appendEncoded[S ~string | ~[]byte](b []byte, s S) []byte {
	return appendEscaped(b, s, "%")
}

// appendEncodedTwice appends the encoding of the encoding of s: what s
// becomes inside the parameter string of a base string, in one pass. An
// encoding encoded again differs only in its escapes, which start "%25".
func appendEncodedTwice(b []byte, s string) []byte {
	return appendEscaped(b, s, "%25")
}

// appendEscaped appends s with runs of unreserved bytes copied and every
// other byte written as escape followed by its upper-case hex.
func appendEscaped[S ~string | ~[]byte](b []byte, s S, escape string) []byte {
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && unreservedTable[s[j]] {
			j++
		}
		b = append(b, s[i:j]...)
		if j == len(s) {
			break
		}
		c := s[j]
		b = append(append(b, escape...), upperHex[c>>4], upperHex[c&15])
		i = j + 1
	}
	return b
}

// encodedLen returns the length of the RFC 3986 encoding of s.
func encodedLen[S ~string | ~[]byte](s S) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !unreservedTable[s[i]] {
			n += 2
		}
	}
	return n
}

// PercentEncode returns the RFC 3986 percent-encoding of s that OAuth uses
// everywhere (RFC 5849 §3.6): every byte but A–Z a–z 0–9 - . _ ~ becomes
// %XX with upper-case hex. It is PHP's rawurlencode, which is what
// Magento's signer applies.
func PercentEncode(s string) string {
	if encodedLen(s) == len(s) {
		return s
	}
	return string(appendEncoded(make([]byte, 0, encodedLen(s)), s))
}

// phpTrim is PHP's trim() with its default set " \t\n\r\0\x0B".
func phpTrim(s string) string {
	i, j := 0, len(s)
	for i < j && phpSpace(s[i]) {
		i++
	}
	for j > i && phpSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func phpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0 || c == '\x0b'
}

// param is an extracted parameter. array marks a value PHP's parse_str
// made an array, which Magento cannot sign.
type param struct {
	name, value string
	// enc, when set, is the name as sent, which is already its RFC 3986
	// encoding (see appendDecoded): the base string copies it instead of
	// encoding name again.
	enc   string
	array bool
	// escaped marks a value kept as sent, still to be rawurldecoded: the
	// header's oauth_signature, which verifyMAC decodes on the stack. get
	// and public decode it.
	escaped bool
	// raw marks a query parameter whose name and value are both kept as
	// sent, each its own encoding (setRawQuery); materialize decodes them.
	raw bool
}

// decoded returns x with its value decoded.
func (x param) decoded() param {
	if x.escaped {
		x.value, x.escaped = rawURLDecode(x.value), false
	}
	return x
}

// paramSet holds extracted parameters in order. Magento's extraction uses
// set (a PHP array: one entry per name, a later value replacing an earlier
// one in place); RFC 5849's uses add (a list). get returns the first entry
// with a name.
type paramSet struct {
	list  []param
	index map[string]int // built for large Magento sets
	dec   []byte         // scratch for decoding the query
	// lazy lets extraction keep a canonical query as sent (setRawQuery):
	// set for a Signed, whose readers materialize what they need. raw
	// reports that some parameters are kept so.
	lazy, raw bool
	// proto holds, for each protocol parameter (protoSlot), one more than
	// the index in list of the first parameter with its name, 0 when there
	// is none: the provider reads them a dozen times a request, and a
	// lookup by name then costs a switch instead of a scan of the list.
	proto [protoParams]int32
}

// protoParams is the number of protocol parameters protoSlot knows.
const protoParams = 9

// protoSlot returns the slot of a protocol parameter's name in
// paramSet.proto, or -1 for any other name.
func protoSlot(name string) int {
	// Every protocol name starts "oauth_"; the byte after it and the length
	// tell them apart, so one comparison settles it.
	if len(name) < len("oauth_xxxxx") {
		return -1
	}
	var k int
	switch name[len("oauth_")] {
	case 'c':
		k = 0 // oauth_consumer_key
		if len(name) == len(ParamCallback) {
			k = 8
		}
	case 'n':
		k = 1 // oauth_nonce
	case 's':
		k = 2 // oauth_signature
		if len(name) == len(ParamSignatureMethod) {
			k = 3
		}
	case 't':
		k = 4 // oauth_timestamp
		if len(name) == len(ParamToken) {
			k = 5
		}
	case 'v':
		k = 6 // oauth_verifier
		if len(name) == len(ParamVersion) {
			k = 7
		}
	default:
		return -1
	}
	if name != protoNames[k] {
		return -1
	}
	return k
}

// protoNames are the protocol parameters by slot.
var protoNames = [protoParams]string{ParamConsumerKey, ParamNonce, ParamSignature, ParamSignatureMethod,
	ParamTimestamp, ParamToken, ParamVerifier, ParamVersion, ParamCallback}

const indexThreshold = 32

func (s *paramSet) reset() {
	clear(s.list)
	s.list = s.list[:0]
	s.index = nil
	s.lazy, s.raw = false, false
	s.proto = [protoParams]int32{}
}

// materialize decodes the parameters kept raw, so that every name and
// value in the set is decoded, as setQuery would have left them.
func (s *paramSet) materialize() {
	if !s.raw {
		return
	}
	s.raw = false
	for i := range s.list {
		if x := &s.list[i]; x.raw {
			x.name, x.value, x.raw = rawURLDecode(x.name), rawURLDecode(x.value), false
		}
	}
	if s.index != nil {
		s.reindex()
	}
}

func (s *paramSet) find(name string) int {
	return s.findSlot(name, protoSlot(name))
}

// findSlot is find for a name whose protoSlot is k.
func (s *paramSet) findSlot(name string, k int) int {
	if k >= 0 {
		return int(s.proto[k]) - 1
	}
	if s.index != nil {
		if i, ok := s.index[name]; ok {
			return i
		}
		return -1
	}
	for i := range s.list {
		if s.list[i].name == name {
			return i
		}
	}
	return -1
}

func (s *paramSet) set(name, value string, array bool) {
	s.put(param{name: name, value: value, array: array})
}

// put is set for a whole param: x replaces the value of an entry with its
// name, or is appended.
func (s *paramSet) put(x param) {
	k := protoSlot(x.name)
	if i := s.findSlot(x.name, k); i >= 0 {
		y := &s.list[i]
		y.value, y.array, y.escaped, y.raw = x.value, x.array, x.escaped, x.raw
		if x.enc != "" {
			y.enc = x.enc
		}
		return
	}
	s.list = append(s.list, x)
	if k >= 0 {
		s.proto[k] = int32(len(s.list))
	}
	switch {
	case s.index != nil:
		s.index[x.name] = len(s.list) - 1
	case len(s.list) > indexThreshold:
		s.reindex()
	}
}

// reindex rebuilds the index by name of a list longer than
// indexThreshold, and drops the index of a shorter one.
func (s *paramSet) reindex() {
	if len(s.list) <= indexThreshold {
		s.index = nil
		return
	}
	if s.index == nil {
		s.index = make(map[string]int, 2*len(s.list))
	} else {
		clear(s.index)
	}
	for i, p := range s.list {
		s.index[p.name] = i
	}
}

func (s *paramSet) add(name, value string) {
	s.list = append(s.list, param{name: name, value: value})
	if k := protoSlot(name); k >= 0 && s.proto[k] == 0 { // get returns the first
		s.proto[k] = int32(len(s.list))
	}
}

// get returns the first parameter called name, its value decoded.
func (s *paramSet) get(name string) (param, bool) {
	x, ok := s.lookup(name)
	return x.decoded(), ok
}

// lookup is get without decoding: the value may be escaped.
func (s *paramSet) lookup(name string) (param, bool) {
	if i := s.find(name); i >= 0 {
		return s.list[i], true
	}
	return param{}, false
}

func (s *paramSet) hasArray() bool {
	for _, p := range s.list {
		if p.array {
			return true
		}
	}
	return false
}

// public returns the parameters as Params.
func (s *paramSet) public() []Param {
	out := make([]Param, len(s.list))
	for i, p := range s.list {
		out[i] = Param{Name: p.name, Value: p.decoded().value}
	}
	return out
}
