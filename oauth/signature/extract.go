package signature

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/internal/php"
)

// Request is the part of an HTTP request that OAuth signing reads, as plain
// values, so that extraction and signing can run without net/http (in a
// gateway, a client, a test). [ReadRequest] builds one from an
// *http.Request.
type Request struct {
	// Method is the HTTP method as sent; the base string upper-cases it.
	Method string
	// URL is the request URL as Magento signs it (docs/magento-behaviour.md §7.3): scheme, "://",
	// the Host header verbatim and the request-target as sent, query
	// included. See [RequestURL].
	URL string
	// Authorization is the Authorization header value.
	Authorization string
	// ContentType is the Content-Type header value.
	ContentType string
	// Body is the request body when it is a form (Content-Type starting
	// with application/x-www-form-urlencoded in any case), else empty.
	Body string
}

// DefaultOffloaderHeader is Magento's default web/secure/offloader_header:
// a request is https when this header is exactly "https" (docs/magento-behaviour.md §7.3).
const DefaultOffloaderHeader = "X-Forwarded-Proto"

// maxFormBody bounds the form body read for signing. Beyond it the body is
// treated as empty, as PHP drops POST data over post_max_size (8M).
const maxFormBody = 8 << 20

// errBodyUnreadable answers a request whose body ends before it should (a
// malformed chunk, fewer bytes than Content-Length): 400, as the web server
// in front of Magento answers it.
var errBodyUnreadable = magerr.New(magerr.Input, "The request body could not be read.")

const formContentType = "application/x-www-form-urlencoded"

// ReadRequest reduces r to a [Request]. offloaderHeader names the header
// that marks a TLS-offloaded request (empty: [DefaultOffloaderHeader]). A
// form body is read and r.Body is restored, so a handler after it reads the
// same bytes; no other body is read. The error is that of reading the body.
func ReadRequest(r *http.Request, offloaderHeader string) (Request, error) {
	if offloaderHeader == "" {
		offloaderHeader = DefaultOffloaderHeader
	}
	req, u, err := readRequest(r, http.CanonicalHeaderKey(offloaderHeader))
	req.URL = u.String()
	return req, err
}

// readRequest is ReadRequest with a canonical header name, except that it
// leaves req.URL empty and returns the URL in its pieces: the provider
// reads the query and the base string URI from them without joining them.
func readRequest(r *http.Request, offloader string) (Request, targetURL, error) {
	u := requestTarget(r, offloader)
	req := Request{
		Method:        r.Method,
		Authorization: firstHeader(r.Header, "Authorization"),
		ContentType:   firstHeader(r.Header, "Content-Type"),
	}
	if r.Body == nil || r.Body == http.NoBody || !hasPrefixFold(req.ContentType, formContentType) {
		return req, u, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody+1))
	r.Body = &restoredBody{Reader: io.MultiReader(bytes.NewReader(body), r.Body), Closer: r.Body}
	if err != nil {
		// A broken chunked body, or one shorter than its Content-Length:
		// the client's fault, answered 400 as the web server in front of
		// Magento answers it, never 500.
		return req, u, errBodyUnreadable.Wrap(fmt.Errorf("oauth: read form body: %w", err))
	}
	if len(body) <= maxFormBody {
		req.Body = string(body)
	}
	return req, u, nil
}

type restoredBody struct {
	io.Reader
	io.Closer
}

func firstHeader(h http.Header, canonical string) string {
	if v := h[canonical]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// RequestURL returns the URL Magento signs for r (docs/magento-behaviour.md §7.3): "https" when
// r arrived over TLS, on local port 443, or with the offloader header
// (empty: [DefaultOffloaderHeader]) exactly "https", else "http"; then
// "://", the Host header verbatim (port included) and the request-target as
// sent. An absolute-form target loses its scheme and authority, as in
// Laminas' request. X-Forwarded-Host and -Port are ignored, as in Magento.
func RequestURL(r *http.Request, offloaderHeader string) string {
	if offloaderHeader == "" {
		offloaderHeader = DefaultOffloaderHeader
	}
	return requestTarget(r, http.CanonicalHeaderKey(offloaderHeader)).String()
}

// IsHTTPS reports whether the URL Magento signs for r starts "https":
// [RequestURL]'s scheme test alone, without building the URL.
func IsHTTPS(r *http.Request, offloaderHeader string) bool {
	if offloaderHeader == "" {
		offloaderHeader = DefaultOffloaderHeader
	}
	return secure(r, http.CanonicalHeaderKey(offloaderHeader))
}

// targetURL is a request URL as [RequestURL] returns it, in the three
// pieces it joins.
type targetURL struct {
	scheme string // "http://" or "https://"
	host   string // the Host header verbatim
	target string // the request-target, absolute form stripped
}

func requestTarget(r *http.Request, offloader string) targetURL {
	u := targetURL{scheme: "http://", host: r.Host, target: r.RequestURI}
	if secure(r, offloader) {
		u.scheme = "https://"
	}
	if u.host == "" && r.URL != nil {
		u.host = r.URL.Host
	}
	if u.target == "" && r.URL != nil {
		u.target = r.URL.RequestURI()
	}
	u.target = stripAbsoluteForm(u.target)
	return u
}

// String joins the URL.
func (u targetURL) String() string { return u.scheme + u.host + u.target }

// query is rawQuery(u.String()). The scheme holds no '?', so unless the
// host does, the query is the target's.
func (u targetURL) query() string {
	if strings.IndexByte(u.host, '?') >= 0 {
		return rawQuery(u.String())
	}
	return rawQuery(u.target)
}

// parts is splitURL(u.String()). When the host holds none of "/?#" and the
// target is empty or starts with '/', the joined URL's authority is exactly
// the host and its path the target up to '?' or '#': the usual case is
// split without joining. Any other URL is joined and parsed.
func (u targetURL) parts() (urlParts, error) {
	if strings.ContainsAny(u.host, "/?#") || u.target != "" && u.target[0] != '/' {
		return splitURL(u.String())
	}
	p := urlParts{scheme: "http", path: u.target}
	if u.scheme == "https://" {
		p.scheme = "https"
	}
	p.setAuthority(u.host)
	if end := strings.IndexAny(p.path, "?#"); end >= 0 {
		p.path = p.path[:end]
	}
	return p, nil
}

func secure(r *http.Request, offloader string) bool {
	if r.TLS != nil {
		return true
	}
	if v := r.Header[offloader]; len(v) == 1 && v[0] == "https" {
		return true
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok && a.Port == 443 {
		return true
	}
	return false
}

// stripAbsoluteForm removes a leading `[^/:]+://[^/]+` (Laminas
// PhpEnvironment\Request::detectRequestUri).
func stripAbsoluteForm(target string) string {
	i := strings.Index(target, "://")
	if i <= 0 || strings.ContainsAny(target[:i], "/:") {
		return target
	}
	j := i + len("://")
	k := j
	for k < len(target) && target[k] != '/' {
		k++
	}
	if k == j {
		return target
	}
	return target[k:]
}

// rawQuery returns the query of a URL: after the first '?', before '#'.
func rawQuery(u string) string {
	i := strings.IndexByte(u, '?')
	if i < 0 {
		return ""
	}
	q := u[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	return q
}

// errTooManyVars is PHP's max_input_vars warning, which Magento's error
// handler turns into an exception: a 500.
var errTooManyVars = magerr.New(magerr.Internal, "Warning: parse_str(): Input variables exceeded 1000. To increase the limit change max_input_vars in php.ini.")

// errArray is laminas-oauth's failure on an array parameter (vector A-27 of testdata/),
// a PHP warning turned into an exception: a 500. Magento's message also
// names the PHP file and line.
var errArray = magerr.New(magerr.Internal, "Warning: Array to string conversion")

// Params returns the parameters that profile p signs for req, oauth_*
// protocol parameters included and oauth_signature among them, in
// extraction order (not signing order):
//
//   - [Magento247] and [Magento243] follow docs/magento-behaviour.md §7.2: OAuth parameters from
//     the Authorization header only (see [ParseHeader]); the form body,
//     parsed with PHP's parse_str rules, when Content-Type starts with
//     exactly "application/x-www-form-urlencoded", its oauth_* names used
//     only if the header gave none; the query split on '&', pieces with
//     exactly one '=' whose raw name does not match [IsOAuthName],
//     rawurldecoded (2.4.3: form-decoded). A name is kept once, a later
//     value replacing an earlier one in place. Without an OAuth header
//     the result is empty. A bracketed form name (a[]=1) makes PHP build
//     an array that Magento cannot sign: Params returns an error.
//   - [RFC5849] follows RFC 5849 §3.4.1.3.1: header parameters but realm,
//     the form body (media type compared case-insensitively) and the query,
//     form-decoded, duplicates kept.
func (p Profile) Params(req Request) ([]Param, error) {
	var s paramSet
	if err := p.extract(&req, rawQuery(req.URL), &s); err != nil {
		return nil, err
	}
	if s.hasArray() {
		return nil, errArray
	}
	return s.public(), nil
}

// extract fills s with req's parameters under p; query is the query of
// req's URL, which extract does not read.
func (p Profile) extract(req *Request, query string, s *paramSet) error {
	if p == RFC5849 {
		extractRFC(req, query, s)
		return nil
	}
	if !parseMagentoHeader(req.Authorization, s) {
		return nil
	}
	form := false
	if strings.HasPrefix(req.ContentType, formContentType) {
		headerEmpty := len(s.list) == 0
		ok := php.ParseStr(req.Body, formDecode, func(name, value string, array bool) {
			if headerEmpty || !IsOAuthName(name) {
				s.set(name, value, array)
				form = true
			}
		})
		if !ok {
			return errTooManyVars
		}
	}
	if s.lazy && !form && s.setRawQuery(query) {
		return nil
	}
	s.setQuery(query, p == Magento243)
	return nil
}

// setRawQuery is setQuery for a query whose kept names and values are all
// sent as their own RFC 3986 encoding (see canonical), when no form
// parameter came before them: it adds them as sent, marked raw, without
// decoding them. Two such names are equal exactly when their decodings
// are, and none decodes to a protocol parameter's name (its encoding would
// contain the name as is, and the piece would not be kept), so the set is
// the one setQuery builds, with the decoding left to whoever reads a
// query parameter by name (see paramSet.materialize). The base string
// needs no decoding: a name is its own encoding, a value's is itself. It
// adds nothing and reports false when a piece is not canonical, '+'
// included (2.4.3 decodes it to a space).
func (s *paramSet) setRawQuery(q string) bool {
	// One pass that adds as it checks: a piece that is not canonical
	// undoes what came before it. The pieces replace only each other (none
	// is a header parameter's name, and no form came before), so the undo
	// is cutting the list back.
	n := len(s.list)
	for rest := q; len(rest) > 0; {
		name, value, ok := nextQueryPiece(&rest)
		if !ok {
			continue
		}
		if !canonical(name) || !canonical(value) {
			s.truncate(n)
			return false
		}
		s.put(param{name: name, value: value, enc: name, raw: true})
		s.raw = true
	}
	return true
}

// truncate drops the parameters from index n on, none of them a protocol
// parameter, and the raw mark when none kept as sent remains.
func (s *paramSet) truncate(n int) {
	clear(s.list[n:])
	s.list = s.list[:n]
	s.raw = slices.ContainsFunc(s.list, func(x param) bool { return x.raw })
	if s.index != nil {
		s.reindex()
	}
}

// nextQueryPiece cuts the next '&'-separated piece off *q and splits it as
// Magento's _extractQueryStringParams keeps it: ok only for a piece with
// exactly one '=' whose raw name is not an OAuth name.
func nextQueryPiece(q *string) (name, value string, ok bool) {
	pc := *q
	if i := strings.IndexByte(pc, '&'); i >= 0 {
		pc, *q = pc[:i], pc[i+1:]
	} else {
		*q = ""
	}
	eq := strings.IndexByte(pc, '=')
	if eq < 0 || strings.IndexByte(pc[eq+1:], '=') >= 0 || IsOAuthName(pc[:eq]) {
		return "", "", false
	}
	return pc[:eq], pc[eq+1:], true
}

// canonical reports whether s is what appendEncoded makes of its
// rawurldecoding: unreserved bytes, and escapes with upper-case hex of the
// other bytes only (appendDecoded's report, without the decoding).
func canonical(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreservedTable[c] {
			continue
		}
		if c != '%' || i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) ||
			unreservedTable[hexValue[s[i+1]]<<4|hexValue[s[i+2]]] {
			return false
		}
		i += 2
	}
	return true
}

// setQuery adds the query's parameters as Magento's
// _extractQueryStringParams does: pieces split on '&', those with exactly
// one '=' and a raw name that is not an OAuth name, rawurldecoded (form
// decoded for 2.4.3). Everything decoded goes into one string, so a query
// costs one allocation however many escapes it holds.
func (s *paramSet) setQuery(q string, plus bool) {
	type piece struct {
		raw     [2]string // name, value as sent
		off     [2][2]int // their decoded bytes in dec, when decoded
		decoded [2]bool
		encoded bool // the name was decoded and is its own encoding
	}
	var stack [16]piece
	pieces := stack[:0]
	dec := s.dec[:0]
	for len(q) > 0 {
		name, value, ok := nextQueryPiece(&q)
		if !ok {
			continue
		}
		x := piece{raw: [2]string{name, value}}
		for k, raw := range x.raw {
			if firstEscape(raw, plus) >= 0 {
				start := len(dec)
				var encoded bool
				dec, encoded = appendDecoded(dec, raw, plus)
				x.off[k], x.decoded[k] = [2]int{start, len(dec)}, true
				if k == 0 {
					x.encoded = encoded
				}
			}
		}
		pieces = append(pieces, x)
	}
	s.dec = dec
	all := string(dec)
	for _, x := range pieces {
		var kv [2]string
		for k := range kv {
			if kv[k] = x.raw[k]; x.decoded[k] {
				kv[k] = all[x.off[k][0]:x.off[k][1]]
			}
		}
		p := param{name: kv[0], value: kv[1]}
		if x.encoded {
			// Names like searchCriteria%5BpageSize%5D are usually sent
			// exactly as the base string encodes them.
			p.enc = x.raw[0]
		}
		s.put(p)
	}
}

// firstEscape returns the index of the first byte phpDecode changes, or
// -1: a '%' (decoded only before two hex digits, but copying from there
// on is harmless), or a '+' when plus.
func firstEscape(s string, plus bool) int {
	i := strings.IndexByte(s, '%')
	if plus {
		if j := strings.IndexByte(s, '+'); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	return i
}

// extractRFC collects parameters as RFC 5849 §3.4.1.3.1 lists them.
func extractRFC(req *Request, query string, s *paramSet) {
	parseRFCHeader(req.Authorization, s)
	if ct, _, _ := strings.Cut(req.ContentType, ";"); strings.EqualFold(strings.TrimSpace(ct), formContentType) {
		parseFormRFC(req.Body, s)
	}
	parseFormRFC(query, s)
}

// parseFormRFC adds the pairs of an application/x-www-form-urlencoded
// string: pieces split on '&', empty ones skipped, a missing '=' giving an
// empty value, '+' and %XX decoded.
func parseFormRFC(q string, s *paramSet) {
	for len(q) > 0 {
		piece := q
		if i := strings.IndexByte(q, '&'); i >= 0 {
			piece, q = q[:i], q[i+1:]
		} else {
			q = ""
		}
		if piece == "" {
			continue
		}
		name, value, _ := strings.Cut(piece, "=")
		s.add(formDecode(name), formDecode(value))
	}
}
