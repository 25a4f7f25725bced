package oauth

import (
	"math"
	"strconv"
	"strings"
)

// PHP's loose comparisons, casts and parse_str, as far as Magento's
// checks and extraction depend on them.

// phpNumericPrefix returns the longest prefix of s that PHP 8 reads as a
// number (is_numeric_string with errors allowed): leading whitespace, a
// sign, digits with an optional fraction, an optional exponent. isInt
// reports a prefix without fraction or exponent; ok is false when s does
// not start with a number. rest is what follows the number.
func phpNumericPrefix(s string) (num string, isInt bool, rest string, ok bool) {
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

// phpIntval is PHP 8's (int) cast of a string: the numeric prefix, 0 when
// there is none, truncated toward zero, saturated at the int64 range
// (zend_dval_to_lval_cap), 0 for infinities.
func phpIntval(s string) int64 {
	num, isInt, _, ok := phpNumericPrefix(s)
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

// phpLooseEqualsOneDotZero is PHP 8's '1.0' == $s: a numeric string
// (whitespace allowed around it) compares by value, anything else as a
// string.
func phpLooseEqualsOneDotZero(s string) bool {
	if s == "1.0" {
		return true
	}
	num, _, rest, ok := phpNumericPrefix(s)
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

// parseStr walks body as PHP's parse_str does (php_default_treat_data and
// php_register_variable_ex, PHP 8.2) and calls emit for every variable in
// order: the mangled name, the value, and whether PHP makes it an array.
// It fails as PHP warns, past max_input_vars.
func parseStr(body string, emit func(name, value string, array bool)) error {
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
		if count++; count > phpMaxInputVars {
			return errTooManyVars
		}
		rawName, rawValue, _ := strings.Cut(piece, "=")
		registerVar(formDecode(rawName), formDecode(rawValue), emit)
	}
	return nil
}

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
