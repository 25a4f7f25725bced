package oauth

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
)

// baseBuilder builds base strings. It keeps its buffers between calls, so
// a pooled builder signs without allocating. Not safe for concurrent use.
type baseBuilder struct {
	buf   []byte // hmacBlock bytes of HMAC scratch, then the base string
	url   []byte
	arena []byte // encoded names, and for RFC5849 encoded values
	spans []span
}

// span locates one signed parameter: its index in the list and its encoded
// name (and value) in the arena.
type span struct {
	idx            int32
	k0, k1, v0, v1 int32
}

// build returns hmacBlock bytes of scratch followed by the base string of
// method, the URL u and list under p. list is unique by name for the
// Magento profiles. The result aliases b's buffer.
func (b *baseBuilder) build(p Profile, method string, u urlParts, list []param) ([]byte, error) {
	var err error
	if b.url, err = p.appendBaseURI(b.url[:0], u); err != nil {
		return nil, err
	}
	b.arena, b.spans = b.arena[:0], b.spans[:0]
	// An estimate: a pooled builder keeps its buffer, so it rarely grows.
	n := hmacBlock + len(method) + 2 + 3*len(b.url)
	for i, x := range list {
		if x.name == ParamSignature {
			continue
		}
		if x.array {
			return nil, errArray
		}
		sp := span{idx: int32(i), k0: int32(len(b.arena))}
		if x.enc != "" {
			b.arena = append(b.arena, x.enc...)
		} else {
			b.arena = appendEncoded(b.arena, x.name)
		}
		sp.k1 = int32(len(b.arena))
		if p == RFC5849 {
			sp.v0 = sp.k1
			b.arena = appendEncoded(b.arena, x.value)
			sp.v1 = int32(len(b.arena))
		}
		b.spans = append(b.spans, sp)
		n += 3*(len(x.name)+len(x.value)) + len("%26%3D")
	}
	b.sort(p)

	buf := slices.Grow(b.buf[:0], n)[:hmacBlock]
	buf = appendUpperASCII(buf, method)
	buf = append(buf, '&')
	buf = appendEncoded(buf, b.url)
	buf = append(buf, '&')
	for i, sp := range b.spans {
		if i > 0 {
			buf = append(buf, "%26"...)
		}
		buf = appendEncodedAgain(buf, b.arena[sp.k0:sp.k1])
		buf = append(buf, "%3D"...)
		buf = appendEncodedTwice(buf, list[sp.idx].value)
	}
	b.buf = buf
	return buf, nil
}

// appendEncodedAgain appends the encoding of enc, which is already
// encoded: its bytes are unreserved but '%', which becomes "%25". The
// escapes of names come in dense runs ("%5D%5B"), so one pass writing into
// a slice grown once beats appendEncoded, which gives the same bytes by
// copying between them (about 4% of BenchmarkPurePath).
func appendEncodedAgain(b, enc []byte) []byte {
	n, m := len(b), len(enc)+2*bytes.Count(enc, percent)
	b = slices.Grow(b, m)
	w := b[n : n+m]
	j := 0
	for _, c := range enc {
		if c == '%' {
			w[j], w[j+1], w[j+2] = '%', '2', '5'
			j += 3
			continue
		}
		w[j] = c
		j++
	}
	return b[:n+m]
}

var percent = []byte{'%'}

// sort orders the spans: PHP natural order of the encoded names, stable
// (PHP 8 sorts are stable, so names strnatcmp calls equal keep their
// insertion order), for the Magento profiles; byte order of encoded name
// then value for RFC5849 (§3.4.1.3.2).
func (b *baseBuilder) sort(p Profile) {
	cmp := func(x, y span) int {
		if p != RFC5849 {
			return strnatcmp(b.arena[x.k0:x.k1], b.arena[y.k0:y.k1])
		}
		if c := bytes.Compare(b.arena[x.k0:x.k1], b.arena[y.k0:y.k1]); c != 0 {
			return c
		}
		return bytes.Compare(b.arena[x.v0:x.v1], b.arena[y.v0:y.v1])
	}
	s := b.spans
	if len(s) > 48 {
		slices.SortStableFunc(s, cmp)
		return
	}
	for i := 1; i < len(s); i++ { // insertion sort: stable, no allocation
		for j := i; j > 0 && cmp(s[j-1], s[j]) > 0; j-- {
			s[j-1], s[j] = s[j], s[j-1]
		}
	}
}

// strnatcmp is PHP 8's strnatcmp_ex (ext/standard/strnatcmp.c) without
// case folding: byte order, except that runs of digits compare by value,
// leading zeros of the whole string are skipped and whitespace is skipped.
// Past the end it reads 0, as PHP reads the terminating NUL.
func strnatcmp(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return cmpInt(len(a), len(b))
	}
	// The walk over a common prefix changes nothing, as long as it resumes
	// right after a byte that is neither a digit nor a space (so no digit
	// run or space run crosses the resumption point). Encoded names share
	// long prefixes ("searchCriteria%5BfilterGroups%5D%5B"), so this is the
	// usual case.
	i := commonPrefix(a, b)
	for i > 0 && (isDigit(a[i-1]) || isSpace(a[i-1])) {
		i--
	}
	if i > 0 {
		// As the walk does after the byte at i-1: an exhausted string
		// decides.
		switch {
		case i >= len(a) && i >= len(b):
			return 0
		case i >= len(a):
			return -1
		case i >= len(b):
			return 1
		}
		return strnatcmpFrom(a, b, i, i)
	}
	ai, bi := 0, 0
	for a[ai] == '0' && ai+1 < len(a) && isDigit(a[ai+1]) {
		ai++
	}
	for b[bi] == '0' && bi+1 < len(b) && isDigit(b[bi+1]) {
		bi++
	}
	return strnatcmpFrom(a, b, ai, bi)
}

// commonPrefix returns the length of the longest common prefix of a and
// b, comparing eight bytes at a time.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// strnatcmpFrom is strnatcmp's main loop from a[ai] and b[bi].
func strnatcmpFrom(a, b []byte, ai, bi int) int {
	at := func(s []byte, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	ca, cb := at(a, ai), at(b, bi)
	for {
		for isSpace(ca) {
			ai++
			ca = at(a, ai)
		}
		for isSpace(cb) {
			bi++
			cb = at(b, bi)
		}
		if isDigit(ca) && isDigit(cb) {
			var r int
			if ca == '0' || cb == '0' {
				r = compareLeft(a, &ai, b, &bi)
			} else {
				r = compareRight(a, &ai, b, &bi)
			}
			switch {
			case r != 0:
				return r
			case ai == len(a) && bi == len(b):
				return 0
			case ai == len(a):
				return -1
			case bi == len(b):
				return 1
			}
			ca, cb = at(a, ai), at(b, bi)
		}
		if ca != cb {
			return cmpInt(int(ca), int(cb))
		}
		ai++
		bi++
		switch {
		case ai >= len(a) && bi >= len(b):
			return 0
		case ai >= len(a):
			return -1
		case bi >= len(b):
			return 1
		}
		ca, cb = a[ai], b[bi]
	}
}

// compareRight compares two right-aligned digit runs: the longer run wins,
// else the first differing digit.
func compareRight(a []byte, ai *int, b []byte, bi *int) int {
	bias := 0
	for ; ; *ai, *bi = *ai+1, *bi+1 {
		aEnd := *ai >= len(a) || !isDigit(a[*ai])
		bEnd := *bi >= len(b) || !isDigit(b[*bi])
		switch {
		case aEnd && bEnd:
			return bias
		case aEnd:
			return -1
		case bEnd:
			return 1
		case bias == 0:
			bias = cmpInt(int(a[*ai]), int(b[*bi]))
		}
	}
}

// compareLeft compares two left-aligned digit runs (fractional parts): the
// first differing digit wins.
func compareLeft(a []byte, ai *int, b []byte, bi *int) int {
	for ; ; *ai, *bi = *ai+1, *bi+1 {
		aEnd := *ai >= len(a) || !isDigit(a[*ai])
		bEnd := *bi >= len(b) || !isDigit(b[*bi])
		switch {
		case aEnd && bEnd:
			return 0
		case aEnd:
			return -1
		case bEnd:
			return 1
		case a[*ai] != b[*bi]:
			return cmpInt(int(a[*ai]), int(b[*bi]))
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// appendUpperASCII appends s with its ASCII letters upper-cased, as the
// base string's method is written; other bytes stay as they are.
func appendUpperASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
