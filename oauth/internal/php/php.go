// Package php is the part of PHP's runtime that Magento's OAuth code leans
// on and that a faithful provider must reproduce byte for byte: parse_str
// (php-src main/php_variables.c, with max_input_vars), strnatcmp
// (ext/standard/strnatcmp.c), intval and the loose == of PHP 8 on numeric
// strings, and urlencode. The oauth packages share it; it stays internal.
package php

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// numericPrefix returns the longest prefix of s that PHP 8 reads as a
// number (is_numeric_string with errors allowed): leading whitespace, a
// sign, digits with an optional fraction, an optional exponent. isInt
// reports a prefix without fraction or exponent; ok is false when s does
// not start with a number. rest is what follows the number.
func numericPrefix(s string) (num string, isInt bool, rest string, ok bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	start := i
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	isInt = true
	if i < len(s) && s[i] == '.' {
		j := i + 1
		frac := 0
		for j < len(s) && isDigit(s[j]) {
			j++
			frac++
		}
		if digits+frac > 0 {
			i, digits, isInt = j, digits+frac, false
		}
	}
	if digits == 0 {
		return "", false, s, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i, isInt = j, false
		}
	}
	return s[start:i], isInt, s[i:], true
}

// Intval is PHP 8's (int) cast of a string: the numeric prefix, 0 when
// there is none, truncated toward zero, saturated at the int64 range
// (zend_dval_to_lval_cap), 0 for infinities.
func Intval(s string) int64 {
	num, isInt, _, ok := numericPrefix(s)
	if !ok {
		return 0
	}
	if isInt {
		if n, err := strconv.ParseInt(num, 10, 64); err == nil {
			return n
		}
	}
	d, err := strconv.ParseFloat(num, 64)
	if err != nil && (math.IsInf(d, 0) || math.IsNaN(d)) {
		return 0
	}
	switch {
	case d >= math.MaxInt64:
		return math.MaxInt64
	case d <= math.MinInt64:
		return math.MinInt64
	}
	return int64(d)
}

// LooseEqualsOneDotZero is PHP 8's '1.0' == $s: a numeric string
// (whitespace allowed around it) compares by value, anything else as a
// string.
func LooseEqualsOneDotZero(s string) bool {
	if s == "1.0" {
		return true
	}
	num, _, rest, ok := numericPrefix(s)
	if !ok {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if !isSpace(rest[i]) {
			return false
		}
	}
	d, err := strconv.ParseFloat(num, 64)
	return err == nil && d == 1
}

// URLEncode is PHP's urlencode, the encoding of http_build_query:
// A–Z a–z 0–9 - _ . stay, a space becomes '+', everything else %XX.
func URLEncode(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			b.WriteByte('+')
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

// ParseStr walks body as PHP's parse_str does (php_default_treat_data and
// php_register_variable_ex, PHP 8.2) and calls emit for every variable in
// order: the mangled name, the value, and whether PHP makes it an array.
// decode is urldecode. It reports false, having stopped, where PHP warns:
// past [MaxInputVars] variables.
func ParseStr(body string, decode func(string) string, emit func(name, value string, array bool)) bool {
	if i := strings.IndexByte(body, 0); i >= 0 {
		body = body[:i] // a C string
	}
	count := 0
	for len(body) > 0 {
		piece := body
		if i := strings.IndexByte(body, '&'); i >= 0 {
			piece, body = body[:i], body[i+1:]
		} else {
			body = ""
		}
		if piece == "" {
			continue // strtok skips empty tokens
		}
		if count++; count > MaxInputVars {
			return false
		}
		rawName, rawValue, _ := strings.Cut(piece, "=")
		registerVar(decode(rawName), decode(rawValue), emit)
	}
	return true
}

// MaxInputVars is PHP's default max_input_vars.
const MaxInputVars = 1000

// registerVar applies php_register_variable_ex's name rules.
func registerVar(name, value string, emit func(name, value string, array bool)) {
	name = strings.TrimLeft(name, " ")
	if i := strings.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	bracket := strings.IndexByte(name, '[')
	base := name
	if bracket >= 0 {
		base = name[:bracket]
	}
	mangled := underscore(base, " .")
	for _, prefix := range [...]string{"__Host-", "__Secure-"} {
		if strings.HasPrefix(mangled, prefix) && !strings.HasPrefix(name, prefix) {
			return
		}
	}
	if mangled == "" {
		return
	}
	if bracket < 0 {
		emit(mangled, value, false)
		return
	}
	rest := name[bracket+1:]
	if strings.IndexByte(rest, ']') >= 0 {
		emit(mangled, "", true)
		return
	}
	// No closing bracket: not an index; '[' and what follows are mangled.
	emit(mangled+"_"+underscore(rest, " .["), value, false)
}

// underscore replaces every byte of s that is in set by '_'.
func underscore(s, set string) string {
	i := strings.IndexAny(s, set)
	if i < 0 {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if strings.IndexByte(set, b[i]) >= 0 {
			b[i] = '_'
		}
	}
	return string(b)
}

// strnatcmp is PHP 8's strnatcmp_ex (ext/standard/strnatcmp.c) without
// case folding: byte order, except that runs of digits compare by value,
// leading zeros of the whole string are skipped and whitespace is skipped.
// Past the end it reads 0, as PHP reads the terminating NUL.
func Strnatcmp(a, b []byte) int {
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
