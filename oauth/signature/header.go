package signature

import "strings"

// ParseHeader reads the OAuth parameters of an Authorization header value
// as Magento 2.4.7 does (docs/magento-behaviour.md §7.2 step 1; Helper/Request::_processHeader).
// ok is false when h does not contain "oauth " (any case): the request is
// then not an OAuth request at all. Otherwise everything after the first
// "oauth " is split on ',', each piece is trimmed and split at its first
// '='; a piece whose raw name matches [IsOAuthName] is kept, with the name
// percent-decoded and the value stripped of surrounding '"' and decoded
// ('+' stays '+'). realm and every other name are ignored, and a later
// duplicate replaces an earlier one in place. ParseHeader never fails: a
// malformed piece is skipped, as Magento skips it.
func ParseHeader(h string) (params []Param, ok bool) {
	var s paramSet
	if !parseMagentoHeader(h, &s) {
		return nil, false
	}
	return s.public(), true
}

// parseMagentoHeader adds the header's OAuth parameters to s. It reports
// whether h is an OAuth header.
func parseMagentoHeader(h string, s *paramSet) bool {
	i := indexOAuthSpace(h)
	if i < 0 {
		return false
	}
	rest := h[i+len("oauth "):]
	for len(rest) > 0 {
		piece := rest
		if j := strings.IndexByte(rest, ','); j >= 0 {
			piece, rest = rest[:j], rest[j+1:]
		} else {
			rest = ""
		}
		piece = phpTrim(piece)
		eq := strings.IndexByte(piece, '=')
		if eq < 0 || !IsOAuthName(piece[:eq]) {
			continue
		}
		x := param{name: rawURLDecode(piece[:eq]), value: strings.Trim(piece[eq+1:], `"`)}
		if x.name == ParamSignature && strings.IndexByte(x.value, '%') >= 0 {
			x.escaped = true // base64's '+', '/' and '=' are sent escaped
		} else {
			x.value = rawURLDecode(x.value)
		}
		s.put(x)
	}
	return true
}

// indexOAuthSpace is PHP's stripos(h, "oauth "), ASCII case folding.
func indexOAuthSpace(h string) int {
	const pat = "oauth "
	for i := 0; i+len(pat) <= len(h); i++ {
		if h[i]|0x20 != 'o' {
			continue
		}
		j := 1
		for ; j < len(pat); j++ {
			c := h[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != pat[j] {
				break
			}
		}
		if j == len(pat) {
			return i
		}
	}
	return -1
}

// parseRFCHeader adds the parameters of an RFC 5849 §3.5.1 Authorization
// header to s: the "OAuth" scheme (any case) at the start, then
// comma-separated name="value" pairs, quoted strings respected, names and
// values percent-decoded, realm excluded (§3.4.1.3.1). It reports whether
// h uses the OAuth scheme.
func parseRFCHeader(h string, s *paramSet) bool {
	h = strings.TrimLeft(h, " \t")
	if len(h) < len("oauth ") || !strings.EqualFold(h[:len("oauth")], "oauth") || h[5] != ' ' && h[5] != '\t' {
		return false
	}
	rest := h[len("oauth"):]
	for len(rest) > 0 {
		end := len(rest)
		quoted := false
	scan:
		for j := 0; j < len(rest); j++ {
			switch rest[j] {
			case '"':
				quoted = !quoted
			case '\\':
				if quoted {
					j++
				}
			case ',':
				if !quoted {
					end = j
					break scan
				}
			}
		}
		piece := strings.Trim(rest[:end], " \t")
		if end < len(rest) {
			rest = rest[end+1:]
		} else {
			rest = ""
		}
		eq := strings.IndexByte(piece, '=')
		if eq < 0 {
			continue
		}
		name := strings.Trim(piece[:eq], " \t")
		value := strings.Trim(piece[eq+1:], " \t")
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		if name == "realm" {
			continue
		}
		s.add(rawURLDecode(name), rawURLDecode(value))
	}
	return true
}

// AuthorizationHeader formats params as an OAuth Authorization header
// value, `OAuth name="value", ...`, each name and value percent-encoded
// (RFC 5849 §3.5.1), in the order given. Both Magento and RFC 5849 servers
// read it; include oauth_signature last by convention. It is the inverse of
// [ParseHeader] for parameters whose names satisfy [IsOAuthName].
func AuthorizationHeader(params []Param) string {
	n := len("OAuth ")
	for _, p := range params {
		n += encodedLen(p.Name) + encodedLen(p.Value) + len(`="", `)
	}
	b := make([]byte, 0, n)
	b = append(b, "OAuth "...)
	for i, p := range params {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendEncoded(b, p.Name)
		b = append(b, `="`...)
		b = appendEncoded(b, p.Value)
		b = append(b, '"')
	}
	return string(b)
}
