package signature

import (
	"bytes"
	"slices"
	"strings"

	"github.com/magekit/magekit/oauth/internal/php"
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
		if x := &list[sp.idx]; x.raw {
			buf = appendEncodedAgainString(buf, x.value) // sent as its own encoding
		} else {
			buf = appendEncodedTwice(buf, x.value)
		}
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
	return appendReencoded(b, enc, bytes.Count(enc, percent))
}

// appendEncodedAgainString is appendEncodedAgain for a string.
func appendEncodedAgainString(b []byte, enc string) []byte {
	return appendReencoded(b, enc, strings.Count(enc, "%"))
}

// appendReencoded writes enc with each of its percents '%' as "%25".
func appendReencoded[S ~string | ~[]byte](b []byte, enc S, percents int) []byte {
	if percents == 0 {
		return append(b, enc...) // the protocol names, most values
	}
	n, m := len(b), len(enc)+2*percents
	b = slices.Grow(b, m)
	w := b[n : n+m]
	j := 0
	for i := 0; i < len(enc); i++ {
		c := enc[i]
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
			return php.Strnatcmp(b.arena[x.k0:x.k1], b.arena[y.k0:y.k1])
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
