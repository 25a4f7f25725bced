package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/magekit/magekit/magerr"
)

// stub is a fixture in the table, with its match state.
type stub struct {
	Fixture
	seq   uint64       // order of setting: the later wins a tie
	spec  int          // specificity
	calls atomic.Int64 // calls answered, for the sequence
	body  any          // Match.Body decoded, nil when none
	key   string       // the index key of its exact path conditions, "" when none
	names []string     // the path parameter names of key, sorted
}

// routeStubs are the fixtures of one route: those with exact path
// conditions indexed by them, so that choosing among a thousand fixtures
// that differ by SKU costs one map look-up, and the rest in a list.
type routeStubs struct {
	byKey    map[string][]*stub
	nameSets [][]string // the distinct name lists of byKey's keys
	rest     []*stub
}

// stubTable holds every fixture, by route, and the scenario states.
type stubTable struct {
	mu        sync.RWMutex
	byRoute   map[string]*routeStubs // "GET /V1/products/:sku"
	byID      map[string]*stub
	seq       uint64
	scenarios map[string]string
}

func newStubTable() *stubTable {
	return &stubTable{byRoute: map[string]*routeStubs{}, byID: map[string]*stub{}, scenarios: map[string]string{}}
}

// scenarioStart is the state every scenario starts in.
const scenarioStart = "Started"

// pathKey returns the index key and names of f's exact path conditions.
func pathKey(path map[string]Condition) (string, []string) {
	var names []string
	for name, c := range path {
		if c.re == nil && !c.Absent {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(strconv.Quote(n))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(path[n].Equals))
		b.WriteByte('&')
	}
	return b.String(), names
}

// keyOf returns the index key of the request's path parameters for names.
func keyOf(params map[string]string, names []string) (string, bool) {
	var b strings.Builder
	for _, n := range names {
		v, ok := params[n]
		if !ok {
			return "", false
		}
		b.WriteString(strconv.Quote(n))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(v))
		b.WriteByte('&')
	}
	return b.String(), true
}

// sameSpec reports whether two fixtures answer the same calls: same route,
// match and scenario condition.
func sameSpec(a, b *Fixture) bool {
	return a.Method == b.Method && a.URL == b.URL && a.Scenario == b.Scenario && a.RequiresState == b.RequiresState &&
		reflect.DeepEqual(condMap(a.Match.Path), condMap(b.Match.Path)) &&
		reflect.DeepEqual(condMap(a.Match.Query), condMap(b.Match.Query)) &&
		reflect.DeepEqual(condMap(a.Match.Headers), condMap(b.Match.Headers)) &&
		bytes.Equal(a.Match.Body, b.Match.Body) && a.Match.BodyExact == b.Match.BodyExact
}

// condMap strips compiled state for comparison.
func condMap(m map[string]Condition) map[string]Condition {
	out := make(map[string]Condition, len(m))
	for k, c := range m {
		c.re = nil
		out[k] = c
	}
	return out
}

// put adds f (checked, its route known), replacing a fixture with its ID
// or, without one, with the same route, match and scenario. It returns
// the fixture as stored.
func (t *stubTable) put(f Fixture) Fixture {
	s := &stub{Fixture: f, spec: f.specificity()}
	if len(f.Match.Body) > 0 {
		_ = json.Unmarshal(f.Match.Body, &s.body) // valid: checked
	}
	s.key, s.names = pathKey(f.Match.Path)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	s.seq = t.seq
	if s.ID == "" {
		for _, old := range t.byID {
			if sameSpec(&old.Fixture, &s.Fixture) {
				s.ID = old.ID
				break
			}
		}
		if s.ID == "" {
			s.ID = "f" + strconv.FormatUint(s.seq, 10)
		}
	}
	if old := t.byID[s.ID]; old != nil {
		t.removeLocked(old)
	}
	t.byID[s.ID] = s
	rk := f.Method + " " + f.URL
	rs := t.byRoute[rk]
	if rs == nil {
		rs = &routeStubs{byKey: map[string][]*stub{}}
		t.byRoute[rk] = rs
	}
	if s.key == "" {
		rs.rest = append(rs.rest, s)
	} else {
		if _, ok := rs.byKey[s.key]; !ok && !slices.ContainsFunc(rs.nameSets, func(n []string) bool { return slices.Equal(n, s.names) }) {
			rs.nameSets = append(rs.nameSets, s.names)
		}
		rs.byKey[s.key] = append(rs.byKey[s.key], s)
	}
	return s.Fixture
}

// removeLocked takes s out of the route index (not byID).
func (t *stubTable) removeLocked(s *stub) {
	rk := s.Method + " " + s.URL
	rs := t.byRoute[rk]
	if rs == nil {
		return
	}
	drop := func(l []*stub) []*stub { return slices.DeleteFunc(l, func(x *stub) bool { return x == s }) }
	if s.key == "" {
		rs.rest = drop(rs.rest)
	} else if l := drop(rs.byKey[s.key]); len(l) > 0 {
		rs.byKey[s.key] = l
	} else {
		delete(rs.byKey, s.key)
	}
	if len(rs.rest) == 0 && len(rs.byKey) == 0 {
		delete(t.byRoute, rk)
	}
}

// delete removes the fixture id; false when there is none.
func (t *stubTable) delete(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.byID[id]
	if s == nil {
		return false
	}
	t.removeLocked(s)
	delete(t.byID, id)
	return true
}

// reset forgets every fixture and scenario state.
func (t *stubTable) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byRoute, t.byID, t.scenarios = map[string]*routeStubs{}, map[string]*stub{}, map[string]string{}
}

// list returns every fixture in the order they were set.
func (t *stubTable) list() []Fixture {
	t.mu.RLock()
	l := make([]*stub, 0, len(t.byID))
	for _, s := range t.byID {
		l = append(l, s)
	}
	t.mu.RUnlock()
	slices.SortFunc(l, func(a, b *stub) int { return int(a.seq) - int(b.seq) })
	out := make([]Fixture, len(l))
	for i, s := range l {
		out[i] = s.Fixture
	}
	return out
}

// get returns the fixture id.
func (t *stubTable) get(id string) (Fixture, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if s := t.byID[id]; s != nil {
		return s.Fixture, nil
	}
	return Fixture{}, magerr.New(magerr.NoSuchEntity, MsgFixtureNotFound, id)
}

// has reports whether the route has any fixture.
func (t *stubTable) has(method, url string) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.byRoute[method+" "+url] != nil
}

// call is what matching reads of a request.
type call struct {
	params  map[string]string
	query   url.Values
	header  http.Header
	body    any // decoded JSON, nil when none or not JSON
	hasBody bool
}

// choose returns the fixture that answers c on the route (method, url) and
// the response it gives, advancing its sequence and scenario; nil when no
// fixture matches.
func (t *stubTable) choose(method, url string, c *call) (*stub, *Response) {
	t.mu.Lock() // scenarios and sequences change together with the choice
	defer t.mu.Unlock()
	rs := t.byRoute[method+" "+url]
	if rs == nil {
		return nil, nil
	}
	var best *stub
	consider := func(s *stub) {
		if best != nil && (s.spec < best.spec || s.spec == best.spec && s.seq < best.seq) {
			return
		}
		if t.matches(s, c) {
			best = s
		}
	}
	for _, names := range rs.nameSets {
		if k, ok := keyOf(c.params, names); ok {
			for _, s := range rs.byKey[k] {
				consider(s)
			}
		}
	}
	for _, s := range rs.rest {
		consider(s)
	}
	if best == nil {
		return nil, nil
	}
	answers := best.answers()
	n := best.calls.Add(1) - 1
	i := int(min(n, int64(len(answers)-1)))
	if best.Scenario != "" && best.NewState != "" {
		t.scenarios[best.Scenario] = best.NewState
	}
	r := answers[i]
	return best, &r
}

// matches reports whether s answers c (the table locked).
func (t *stubTable) matches(s *stub, c *call) bool {
	if s.AfterLast == "fail" && int(s.calls.Load()) >= len(s.answers()) {
		return false
	}
	if s.RequiresState != "" {
		state, ok := t.scenarios[s.Scenario]
		if !ok {
			state = scenarioStart
		}
		if state != s.RequiresState {
			return false
		}
	}
	for name, cond := range s.Match.Path {
		v, ok := c.params[name]
		if !cond.test(v, ok) {
			return false
		}
	}
	for name, cond := range s.Match.Query {
		vs, ok := c.query[name]
		v := ""
		if ok {
			v = vs[len(vs)-1] // PHP keeps the last of repeated keys
		}
		if !cond.test(v, ok) {
			return false
		}
	}
	for name, cond := range s.Match.Headers {
		vs, ok := c.header[http.CanonicalHeaderKey(name)]
		if !cond.test(strings.Join(vs, ", "), ok) {
			return false
		}
	}
	if len(s.Match.Body) > 0 {
		if !c.hasBody {
			return false
		}
		if s.Match.BodyExact {
			return reflect.DeepEqual(s.body, c.body)
		}
		return subset(s.body, c.body)
	}
	return true
}

// subset reports whether got contains want: every key of an object
// (recursively), arrays of the same length element by element, other
// values equal.
func subset(want, got any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !subset(wv, gv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !subset(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}

// scenarioStates returns every scenario's state.
func (t *stubTable) scenarioStates() map[string]string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make(map[string]string, len(t.scenarios))
	for k, v := range t.scenarios {
		out[k] = v
	}
	return out
}

// setScenarios sets scenario states.
func (t *stubTable) setScenarios(m map[string]string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, v := range m {
		t.scenarios[k] = v
	}
}
