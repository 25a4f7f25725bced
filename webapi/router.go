package webapi

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

// route is a compiled [Route].
type route struct {
	Route
	id      int       // position in router.routes
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

// router is Magento's REST router (Webapi\Controller\Rest\Router and
// Model\Rest\Config::getRestRoutes), precompiled: an exact URL match first;
// otherwise, among the routes of the method whose URL begins with the
// service base URL, the last, in string order of URLs, whose pattern
// matches. Candidates are kept per method and segment count in descending
// URL order, so the first match is Magento's last. A router is immutable.
type router struct {
	routes  []*route
	exact   [numMethods]map[string]*route
	byCount [numMethods][maxSegments + 1][]*route
}

// newRouter compiles routes. Methods must be GET, POST, PUT or DELETE, URLs
// must start with '/', have at most maxSegments segments, and each
// (method, URL) pair may appear once.
func newRouter(routes []Route) (*router, error) {
	guest := make(map[GuestRoute]bool, len(guestRoutes))
	for _, g := range guestRoutes {
		guest[g] = true
	}
	rt := &router{routes: make([]*route, 0, len(routes))}
	for m := range rt.exact {
		rt.exact[m] = make(map[string]*route)
	}
	for _, r := range routes {
		m := methodIndex(r.Method)
		if m < 0 {
			return nil, fmt.Errorf("webapi: route %s %s: method must be GET, POST, PUT or DELETE", r.Method, r.URL)
		}
		if !strings.HasPrefix(r.URL, "/") {
			return nil, fmt.Errorf("webapi: route %s %s: URL must start with /", r.Method, r.URL)
		}
		if _, dup := rt.exact[m][r.URL]; dup {
			return nil, fmt.Errorf("webapi: route %s %s declared twice", r.Method, r.URL)
		}
		c := &route{Route: r.clone(), id: len(rt.routes), trimmed: strings.Trim(r.URL, "/")}
		for s := range strings.SplitSeq(c.trimmed, "/") {
			c.segs = append(c.segs, compileSegment(s))
		}
		if len(c.segs) > maxSegments {
			return nil, fmt.Errorf("webapi: route %s %s: more than %d segments", r.Method, r.URL, maxSegments)
		}
		c.guest = guest[GuestRoute{r.Method, r.URL}]
		for _, name := range c.Required {
			c.requiredSnake = append(c.requiredSnake, camelToSnake(name))
		}
		rt.routes = append(rt.routes, c)
		rt.exact[m][r.URL] = c
		rt.byCount[m][len(c.segs)] = append(rt.byCount[m][len(c.segs)], c)
	}
	for m := range rt.byCount {
		for _, list := range rt.byCount[m] {
			slices.SortFunc(list, func(a, b *route) int { return strings.Compare(b.URL, a.URL) })
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

// match returns the route for method index m and the path info (the path
// after /rest and the store code, starting with '/'), or nil. It does not
// allocate.
func (rt *router) match(m int, pathInfo string) *route {
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

// matches is Route::match over the path's segments (as many as r's).
func (r *route) matches(segs []string) bool {
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

// params returns the values of r's variables in pathInfo, decoded as PHP's
// urldecode does ('+' is a space).
func (r *route) params(pathInfo string) map[string]string {
	out := make(map[string]string)
	i := 0
	for s := range strings.SplitSeq(strings.Trim(pathInfo, "/"), "/") {
		if i < len(r.segs) && r.segs[i].kind == segVariable {
			out[r.segs[i].variable] = urldecode(s)
		}
		i++
	}
	return out
}

// urldecode is PHP's urldecode: "+" becomes a space and each valid %XX
// escape its byte; invalid escapes stay as they are.
func urldecode(s string) string {
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
