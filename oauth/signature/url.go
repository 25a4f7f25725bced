package signature

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// ErrScheme is laminas-oauth's InvalidArgumentException for a URL that is
// not http or https: a 500 in Magento.
var ErrScheme = errors.New("signature: invalid URL provided; must be an HTTP or HTTPS scheme")

// urlParts is a URL split the way Laminas\Uri splits it.
type urlParts struct {
	scheme   string // lower-cased
	hasAuth  bool   // "//" authority present
	userinfo string
	host     string
	port     string // digits as written, possibly empty
	path     string
}

// splitURL parses raw into scheme, authority and path; the query and the
// fragment are dropped. The scheme must be http or https in any case.
func splitURL(raw string) (urlParts, error) {
	var u urlParts
	i := 0
	for i < len(raw) && (isAlnum(raw[i]) || i > 0 && (raw[i] == '+' || raw[i] == '-' || raw[i] == '.')) {
		i++
	}
	if i == 0 || i == len(raw) || raw[i] != ':' || !isAlpha(raw[0]) {
		return u, ErrScheme
	}
	u.scheme = strings.ToLower(raw[:i])
	if u.scheme != "http" && u.scheme != "https" {
		return u, ErrScheme
	}
	rest := raw[i+1:]
	if end := strings.IndexAny(rest, "?#"); end >= 0 {
		rest = rest[:end]
	}
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		u.setAuthority(rest[:end])
		rest = rest[end:]
	}
	u.path = rest
	return u, nil
}

// setAuthority splits the authority auth into userinfo, host and port.
func (u *urlParts) setAuthority(auth string) {
	u.hasAuth = true
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		u.userinfo, auth = auth[:at], auth[at+1:]
	}
	u.host = auth
	if c := strings.LastIndexByte(auth, ':'); c >= 0 && len(auth)-c-1 <= 5 && allDigits(auth[c+1:]) {
		u.host, u.port = auth[:c], auth[c+1:]
	}
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// portNumber returns the value of a digit string, 0 for none. Laminas
// casts the port with (int), so "0080" is 80.
func portNumber(s string) int {
	if s == "" {
		return 0
	}
	n, _ := strconv.Atoi(s) // at most 5 digits by construction
	return n
}

func defaultPort(scheme string, port int) bool {
	return scheme == "http" && port == 80 || scheme == "https" && port == 443
}

// appendLower appends s with ASCII letters lower-cased (PHP strtolower).
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// appendLaminasURL appends the URL u as laminas-oauth 2.7 normalises it for
// the base string (docs/magento-behaviour.md §9.1 step 5): scheme and host lower-cased, the
// default port dropped, dot-segments removed from the path, %XX escapes of
// unreserved and `:@&=+$,/;%` characters decoded and the others
// upper-cased, then every character outside `A–Z a–z 0–9 -_.~)(:@&=+$,/;`
// and every lone '%' percent-encoded; an empty path becomes "/"; query and
// fragment removed.
func appendLaminasURL(b []byte, u urlParts) []byte {
	b = append(b, u.scheme...)
	b = append(b, ':')
	if u.hasAuth {
		b = append(b, "//"...)
		if u.userinfo != "" {
			b = append(b, u.userinfo...)
			b = append(b, '@')
		}
		b = appendLower(b, u.host)
		if n := portNumber(u.port); n != 0 && !defaultPort(u.scheme, n) {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(n), 10)
		}
	}
	path := removeDotSegments(u.path)
	if path == "" && u.host != "" {
		return append(b, '/')
	}
	if laminasPlainPath(path) {
		return append(b, path...)
	}
	var tmp [256]byte
	return appendLaminasPath(b, decodeLaminasPath(tmp[:0], path))
}

// laminasPathKeep reports whether Laminas' encodePath leaves c alone.
func laminasPathKeep(c byte) bool {
	return isAlnum(c) || strings.IndexByte("-_.~)(:@&=+$,/;%", c) >= 0
}

// laminasPlainPath reports whether normalisation leaves path unchanged:
// no escape and nothing to encode.
func laminasPlainPath(path string) bool {
	for i := 0; i < len(path); i++ {
		if c := path[i]; c == '%' || !laminasPathKeep(c) {
			return false
		}
	}
	return true
}

// decodeLaminasPath is Laminas Uri::decodeUrlEncodedChars with the path's
// allowed set: an escape of an unreserved or `:@&=+$,/;%` byte is decoded,
// any other escape is kept with upper-case hex.
func decodeLaminasPath(b []byte, path string) []byte {
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c != '%' || i+2 >= len(path) || !isHex(path[i+1]) || !isHex(path[i+2]) {
			b = append(b, c)
			continue
		}
		d := unhex(path[i+1])<<4 | unhex(path[i+2])
		if unreserved(d) || strings.IndexByte(":@&=+$,/;%", d) >= 0 {
			b = append(b, d)
		} else {
			b = append(b, '%', upperHex[d>>4], upperHex[d&15])
		}
		i += 2
	}
	return b
}

// appendLaminasPath is Laminas Uri::encodePath: bytes outside the kept set
// and a '%' not followed by two hex digits are percent-encoded.
func appendLaminasPath(b, path []byte) []byte {
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case c == '%' && (i+2 >= len(path) || !isHex(path[i+1]) || !isHex(path[i+2])):
			b = append(b, "%25"...)
		case laminasPathKeep(c):
			b = append(b, c)
		default:
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return b
}

// removeDotSegments is Laminas Uri::removePathDotSegments, the RFC 3986
// §5.2.4 algorithm as Laminas writes it, including its PHP truthiness: the
// loop stops when the rest of the path is "0". Replacing a "/../" or "/./"
// prefix by "/" is slicing, since the kept '/' is the prefix's last byte.
func removeDotSegments(path string) string {
	if strings.HasPrefix(path, "/") && !strings.Contains(path, "/.") {
		return path // nothing to remove
	}
	out := make([]byte, 0, len(path))
	for path != "" && path != "0" {
		switch {
		case path == ".." || path == ".":
			return string(out)
		case path == "/.":
			path = "/"
		case path == "/..":
			path = "/"
			out = truncateLastSlash(out)
		case strings.HasPrefix(path, "/../"):
			path = path[3:]
			out = truncateLastSlash(out)
		case strings.HasPrefix(path, "/./"):
			path = path[2:]
		case strings.HasPrefix(path, "./"):
			path = path[2:]
		case strings.HasPrefix(path, "../"):
			path = path[3:]
		default:
			seg := path
			if j := strings.IndexByte(path[1:], '/'); j >= 0 {
				seg = path[:j+1]
			}
			out = append(out, seg...)
			path = path[len(seg):]
		}
	}
	return string(out)
}

// truncateLastSlash cuts b at its last '/', if any. Each byte it drops was
// appended once, so a whole removal stays linear.
func truncateLastSlash(b []byte) []byte {
	if i := bytes.LastIndexByte(b, '/'); i >= 0 {
		return b[:i]
	}
	return b
}

// appendZF1URL appends the URL u as ZF1's Zend_Oauth normalised it up to
// Magento 2.4.5 (docs/magento-behaviour.md §9.3): scheme and host lower-cased, the default port
// dropped, query and fragment removed, the path as received.
func appendZF1URL(b []byte, u urlParts) []byte {
	b = append(b, u.scheme...)
	b = append(b, "://"...)
	if u.userinfo != "" {
		b = append(b, u.userinfo...)
		b = append(b, '@')
	}
	b = appendLower(b, u.host)
	if u.port != "" && !defaultPort(u.scheme, portNumber(u.port)) {
		b = append(b, ':')
		b = append(b, u.port...)
	}
	return append(b, u.path...)
}

// appendRFCURL appends the base string URI of RFC 5849 §3.4.1.2 for u: scheme
// and host lower-cased, userinfo dropped, the port kept unless it is the
// scheme's default, the path as sent ("/" when empty), spaces as %20.
func appendRFCURL(b []byte, u urlParts) ([]byte, error) {
	if !u.hasAuth || u.host == "" {
		return b, errors.New("oauth: URL has no host")
	}
	b = append(b, u.scheme...)
	b = append(b, "://"...)
	b = appendLower(b, u.host)
	if n := portNumber(u.port); n != 0 && !defaultPort(u.scheme, n) {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(n), 10)
	}
	if u.path == "" {
		return append(b, '/'), nil
	}
	for i := 0; i < len(u.path); i++ {
		if c := u.path[i]; c == ' ' {
			b = append(b, "%20"...)
		} else {
			b = append(b, c)
		}
	}
	return b, nil
}
