package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
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
	key   string       // the index key of its exact conditions, "" when none
	names []exactName  // the names of key's conditions, sorted
	same  string       // what it answers (sameKey): a fixture set without id and with the same replaces it
}

// Kinds of the conditions an index key is made of.
const (
	condPath   = 'p'
	condQuery  = 'q'
	condHeader = 'h'
)

// exactName is the kind and name of an exact condition (header names in
// canonical form).
type exactName struct {
	kind byte
	name string
}

// routeStubs are the fixtures of one route: those with exact path, query
// or header conditions indexed by their values, so that choosing among a
// thousand fixtures that differ by a SKU, a searchCriteria value or a
// header costs one map look-up, and the rest in a list.
type routeStubs struct {
	byKey    map[string][]*stub
	nameSets []nameSet // the distinct name lists of byKey's keys
	rest     []*stub
}

// nameSet is a list of condition names that index keys are made of, and
// how many keys of byKey use it.
type nameSet struct {
	names []exactName
	keys  int
}

// stubTable holds every fixture, by route, and the scenario states.
type stubTable struct {
	mu        sync.RWMutex
	byRoute   map[string]*routeStubs // "GET /V1/products/:sku"
	byID      map[string]*stub
	bySame    map[string]*stub // the last fixture set of each sameKey
	sameCount map[string]int   // how many fixtures have each sameKey
	seq       uint64
	scenarios map[string]string
}

func newStubTable() *stubTable {
	t := &stubTable{}
	t.resetLocked()
	return t
}

// resetLocked empties the table.
func (t *stubTable) resetLocked() {
	t.byRoute, t.byID, t.bySame, t.sameCount = map[string]*routeStubs{}, map[string]*stub{}, map[string]*stub{}, map[string]int{}
	t.scenarios = map[string]string{}
}

// scenarioStart is the state every scenario starts in.
const scenarioStart = "Started"

// exactKey returns the index key and names of m's exact path, query and
// header conditions; "" and nil when there are none.
func exactKey(m *Match) (string, []exactName) {
	var names []exactName
	values := map[exactName]string{}
	for kind, conds := range map[byte]map[string]Condition{condPath: m.Path, condQuery: m.Query, condHeader: m.Headers} {
		for name, c := range conds {
			if c.re != nil || c.Absent {
				continue
			}
			if kind == condHeader {
				name = http.CanonicalHeaderKey(name)
			}
			n := exactName{kind, name}
			names = append(names, n)
			values[n] = c.Equals
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	slices.SortFunc(names, func(a, b exactName) int {
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return strings.Compare(a.name, b.name)
	})
	var b strings.Builder
	for _, n := range names {
		writeKeyPart(&b, n, values[n])
	}
	return b.String(), names
}

// writeKeyPart appends one condition to an index key, quoted so that no
// value can run into the next.
func writeKeyPart(b *strings.Builder, n exactName, v string) {
	b.WriteByte(n.kind)
	b.WriteString(strconv.Quote(n.name))
	b.WriteByte('=')
	b.WriteString(strconv.Quote(v))
	b.WriteByte('&')
}

// keyOf returns the index key of the call for names; false when the call
// lacks one of them.
func (c *call) keyOf(names []exactName) (string, bool) {
	var b strings.Builder
	for _, n := range names {
		v, ok := c.value(n)
		if !ok {
			return "", false
		}
		writeKeyPart(&b, n, v)
	}
	return b.String(), true
}

// value returns what the call carries under n, as matching reads it: a
// path parameter, the last of a query parameter's values (PHP keeps the
// last of repeated keys), a header's values joined by ", ".
func (c *call) value(n exactName) (string, bool) {
	switch n.kind {
	case condPath:
		v, ok := c.params[n.name]
		return v, ok
	case condQuery:
		vs, ok := c.query[n.name]
		if !ok {
			return "", false
		}
		return vs[len(vs)-1], true
	}
	vs, ok := c.header[n.name]
	return strings.Join(vs, ", "), ok
}

// sameKey returns what identifies the calls f answers: its route, match
// and scenario condition, in a canonical form (maps in key order, the
// body compacted).
func sameKey(f *Fixture) string {
	m, err := json.Marshal(f.Match)
	if err != nil {
		m = nil // a checked fixture always encodes
	}
	return f.Method + " " + f.URL + "\x00" + f.Scenario + "\x00" + f.RequiresState + "\x00" + string(m)
}

// put adds f (checked, its route known), replacing a fixture with its ID
// or, without one, the last fixture set with the same route, match and
// scenario. It returns the fixture as stored.
func (t *stubTable) put(f Fixture) Fixture {
	s := &stub{Fixture: f, spec: f.specificity(), same: sameKey(&f)}
	if len(f.Match.Body) > 0 {
		_ = json.Unmarshal(f.Match.Body, &s.body) // valid: checked
	}
	s.key, s.names = exactKey(&f.Match)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	s.seq = t.seq
	if s.ID == "" {
		if old := t.bySame[s.same]; old != nil {
			s.ID = old.ID
		} else {
			s.ID = "f" + strconv.FormatUint(s.seq, 10)
		}
	}
	if old := t.byID[s.ID]; old != nil {
		t.removeLocked(old, s)
	}
	t.byID[s.ID] = s
	t.bySame[s.same] = s
	t.sameCount[s.same]++
	rk := f.Method + " " + f.URL
	rs := t.byRoute[rk]
	if rs == nil {
		rs = &routeStubs{byKey: map[string][]*stub{}}
		t.byRoute[rk] = rs
	}
	if s.key == "" {
		rs.rest = append(rs.rest, s)
		return s.Fixture
	}
	if _, ok := rs.byKey[s.key]; !ok {
		if i := rs.nameSet(s.names); i >= 0 {
			rs.nameSets[i].keys++
		} else {
			rs.nameSets = append(rs.nameSets, nameSet{names: s.names, keys: 1})
		}
	}
	rs.byKey[s.key] = append(rs.byKey[s.key], s)
	return s.Fixture
}

// nameSet returns the index of names in rs.nameSets, or -1.
func (rs *routeStubs) nameSet(names []exactName) int {
	return slices.IndexFunc(rs.nameSets, func(n nameSet) bool { return slices.Equal(n.names, names) })
}

// removeLocked takes s out of the route index and bySame (not byID);
// next, when not nil, is the fixture about to take its id.
func (t *stubTable) removeLocked(s, next *stub) {
	if t.sameCount[s.same]--; t.sameCount[s.same] == 0 {
		delete(t.sameCount, s.same)
	}
	if t.bySame[s.same] == s {
		delete(t.bySame, s.same)
		if t.sameCount[s.same] > 0 && (next == nil || next.same != s.same) {
			// Another fixture answering the same calls takes its place.
			var last *stub
			for _, o := range t.byID {
				if o != s && o.same == s.same && (last == nil || o.seq > last.seq) {
					last = o
				}
			}
			if last != nil {
				t.bySame[s.same] = last
			}
		}
	}
	rk := s.Method + " " + s.URL
	rs := t.byRoute[rk]
	if rs == nil {
		return
	}
	drop := func(l []*stub) []*stub { return slices.DeleteFunc(l, func(x *stub) bool { return x == s }) }
	switch l := drop(rs.byKey[s.key]); {
	case s.key == "":
		rs.rest = drop(rs.rest)
	case len(l) > 0:
		rs.byKey[s.key] = l
	default:
		delete(rs.byKey, s.key)
		if i := rs.nameSet(s.names); i >= 0 {
			if rs.nameSets[i].keys--; rs.nameSets[i].keys == 0 {
				rs.nameSets = slices.Delete(rs.nameSets, i, i+1)
			}
		}
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
	t.removeLocked(s, nil)
	delete(t.byID, id)
	return true
}

// reset forgets every fixture and scenario state.
func (t *stubTable) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.resetLocked()
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
	for _, ns := range rs.nameSets {
		if k, ok := c.keyOf(ns.names); ok {
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
