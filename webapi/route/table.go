package route

import (
	"fmt"
	"slices"
	"strings"
)

// The REST methods Magento serves (Webapi\Rest\Request::getHttpMethod).
const (
	methodGET = iota
	methodPOST
	methodPUT
	methodDELETE
	numMethods
)

// KnownMethod reports whether m (upper case) is a method Magento's REST
// API serves: GET, POST, PUT or DELETE.
func KnownMethod(m string) bool { return methodIndex(m) >= 0 }

// methodIndex returns the index of an upper-case method, or -1.
func methodIndex(m string) int {
	switch m {
	case "GET":
		return methodGET
	case "POST":
		return methodPOST
	case "PUT":
		return methodPUT
	case "DELETE":
		return methodDELETE
	}
	return -1
}

// maxSegments bounds the segments of a route URL; Magento's longest has 9.
const maxSegments = 16

// Entry is a compiled [Route] of a [Table].
type Entry struct {
	Route
	id      int       // position in Table.entries
	trimmed string    // URL without leading and trailing '/'
	segs    []segment // trimmed split on '/'
	guest   bool      // listed by allow_insecure (docs/magento-behaviour.md §11)
	// requiredSnake are the snake_case names of Required, in its order.
	requiredSnake []string
}

// segment is one segment of a route URL.
type segment struct {
	kind     segmentKind
	literal  string // for segLiteral
	variable string // for segVariable: the name after ':'
}

type segmentKind uint8

const (
	segLiteral  segmentKind = iota // matches itself
	segVariable                    // matches any segment, the empty one included
	// segNull is a variable with a falsy PHP name (":" or ":0"): Route::match
	// then compares the segment with null, which only "" equals.
	segNull
)

// Table is Magento's REST router (Webapi\Controller\Rest\Router and
// Model\Rest\Config::getRestRoutes), precompiled: an exact URL match first;
// otherwise, among the routes of the method whose URL begins with the
// service base URL, the last, in string order of URLs, whose pattern
// matches. Candidates are kept per method and segment count in descending
// URL order, so the first match is Magento's last. A Table is immutable and
// safe for concurrent use.
type Table struct {
	entries []*Entry
	exact   [numMethods]map[string]*Entry
	byCount [numMethods][maxSegments + 1][]*Entry
}

// NewTable compiles routes. Methods must be GET, POST, PUT or DELETE, URLs
// must start with '/', have at most 16 segments, and each (method, URL)
// pair may appear once. The routes are copied.
func NewTable(routes []Route) (*Table, error) {
	guest := make(map[Guest]bool, len(guests))
	for _, g := range guests {
		guest[g] = true
	}
	rt := &Table{entries: make([]*Entry, 0, len(routes))}
	for m := range rt.exact {
		rt.exact[m] = make(map[string]*Entry)
	}
	for _, r := range routes {
		m := methodIndex(r.Method)
		if m < 0 {
			return nil, fmt.Errorf("route: %s %s: method must be GET, POST, PUT or DELETE", r.Method, r.URL)
		}
		if !strings.HasPrefix(r.URL, "/") {
			return nil, fmt.Errorf("route: %s %s: URL must start with /", r.Method, r.URL)
		}
		if _, dup := rt.exact[m][r.URL]; dup {
			return nil, fmt.Errorf("route: %s %s declared twice", r.Method, r.URL)
		}
		c := &Entry{Route: r.Clone(), id: len(rt.entries), trimmed: strings.Trim(r.URL, "/")}
		for s := range strings.SplitSeq(c.trimmed, "/") {
			c.segs = append(c.segs, compileSegment(s))
		}
		if len(c.segs) > maxSegments {
			return nil, fmt.Errorf("route: %s %s: more than %d segments", r.Method, r.URL, maxSegments)
		}
		c.guest = guest[Guest{r.Method, r.URL}]
		for _, name := range c.Required {
			c.requiredSnake = append(c.requiredSnake, SnakeCase(name))
		}
		rt.entries = append(rt.entries, c)
		rt.exact[m][r.URL] = c
		rt.byCount[m][len(c.segs)] = append(rt.byCount[m][len(c.segs)], c)
	}
	for m := range rt.byCount {
		for _, list := range rt.byCount[m] {
			slices.SortFunc(list, func(a, b *Entry) int { return strings.Compare(b.URL, a.URL) })
		}
	}
	return rt, nil
}

// compileSegment reads one segment as Magento's Route::isVariable does: a
// leading ':' not followed by another ':' makes a variable.
func compileSegment(s string) segment {
	if len(s) == 0 || s[0] != ':' || len(s) > 1 && s[1] == ':' {
		return segment{kind: segLiteral, literal: s}
	}
	if name := s[1:]; name != "" && name != "0" {
		return segment{kind: segVariable, variable: name}
	}
	return segment{kind: segNull}
}

// Match returns the route for method (upper case) and the path info (the
// path after /rest and the store code, starting with '/'), or nil. It does
// not allocate.
func (rt *Table) Match(method, pathInfo string) *Entry {
	m := methodIndex(method)
	if m < 0 {
		return nil
	}
	if r := rt.exact[m][pathInfo]; r != nil {
		return r
	}
	base, ok := serviceBaseURL(pathInfo)
	if !ok {
		return nil
	}
	var segs [maxSegments]string
	n := 0
	for s := range strings.SplitSeq(strings.Trim(pathInfo, "/"), "/") {
		if n == maxSegments {
			return nil // longer than every route
		}
		segs[n] = s
		n++
	}
	for _, r := range rt.byCount[m][n] {
		if strings.HasPrefix(r.trimmed, base) && r.matches(segs[:n]) {
			return r
		}
	}
	return nil
}

// serviceBaseURL is Magento's _getServiceBaseUrl: the match of
// `^/?\w+/\w+` against the path info, trimmed of '/'. ok is false when the
// pattern does not match, and then no route but an exact match is found.
func serviceBaseURL(p string) (string, bool) {
	p = strings.TrimPrefix(p, "/")
	i := 0
	for i < len(p) && isWord(p[i]) {
		i++
	}
	if i == 0 || i == len(p) || p[i] != '/' {
		return "", false
	}
	j := i + 1
	for j < len(p) && isWord(p[j]) {
		j++
	}
	if j == i+1 {
		return "", false
	}
	return p[:j], true
}

// isWord reports whether c is in PCRE's \w without the u flag.
func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// Exact returns the route whose method (upper case) and URL pattern are
// exactly these, or nil.
func (rt *Table) Exact(method, url string) *Entry {
	if m := methodIndex(method); m >= 0 {
		return rt.exact[m][url]
	}
	return nil
}

// Len returns the number of routes.
func (rt *Table) Len() int { return len(rt.entries) }

// Routes returns a copy of the routes in the order NewTable got them.
func (rt *Table) Routes() []Route {
	out := make([]Route, len(rt.entries))
	for i, e := range rt.entries {
		out[i] = e.Clone()
	}
	return out
}

// ID returns the route's position in its table: 0 to Len()-1.
func (r *Entry) ID() int { return r.id }

// OpenToGuests reports whether "Allow Anonymous Guest Access" opens the
// route to anonymous callers (one of [Guests]).
func (r *Entry) OpenToGuests() bool { return r.guest }

// RequiredSnake returns the snake_case names of Required, in its order.
func (r *Entry) RequiredSnake() []string { return r.requiredSnake }

// HasVariable reports whether one of the route's path variables is named
// name: the router hands every variable to the request, the empty segment
// included.
func (r *Entry) HasVariable(name string) bool {
	for _, s := range r.segs {
		if s.kind == segVariable && s.variable == name {
			return true
		}
	}
	return false
}

// matches is Route::match over the path's segments (as many as r's).
func (r *Entry) matches(segs []string) bool {
	for i, s := range r.segs {
		switch s.kind {
		case segLiteral:
			if segs[i] != s.literal {
				return false
			}
		case segNull:
			if segs[i] != "" {
				return false
			}
		}
	}
	return true
}

// Params returns the values of the route's variables in pathInfo, decoded
// as PHP's urldecode does ('+' is a space).
func (r *Entry) Params(pathInfo string) map[string]string {
	out := make(map[string]string)
	i := 0
	for s := range strings.SplitSeq(strings.Trim(pathInfo, "/"), "/") {
		if i < len(r.segs) && r.segs[i].kind == segVariable {
			out[r.segs[i].variable] = URLDecode(s)
		}
		i++
	}
	return out
}

// URLDecode is PHP's urldecode: "+" becomes a space and each valid %XX
// escape its byte; invalid escapes stay as they are.
func URLDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// SnakeCase is ServiceInputProcessor's snake_case of a parameter name:
// '_' before each capital that follows a word character, then lower case.
func SnakeCase(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' && i > 0 && isWord(s[i-1]) {
			b.WriteByte('_')
		}
		b.WriteByte(c)
	}
	return strings.ToLower(b.String())
}

// CamelCase is SimpleDataObjectConverter::snakeCaseToCamelCase:
// lcfirst of the '_'-separated words, each with its first letter
// capitalised, joined.
func CamelCase(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	for w := range strings.SplitSeq(s, "_") {
		if w != "" && w[0] >= 'a' && w[0] <= 'z' {
			b.WriteByte(w[0] - 'a' + 'A')
			w = w[1:]
		}
		b.WriteString(w)
	}
	out := b.String()
	if out != "" && out[0] >= 'A' && out[0] <= 'Z' {
		out = string(out[0]-'A'+'a') + out[1:]
	}
	return out
}
