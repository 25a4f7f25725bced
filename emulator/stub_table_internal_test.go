package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// mustFixture decodes a fixture or fails the test.
func mustFixture(t *testing.T, raw string) Fixture {
	t.Helper()
	f, err := DecodeFixture([]byte(raw))
	if err != nil {
		t.Fatalf("DecodeFixture(%s): %v", raw, err)
	}
	return f
}

// TestFixturePrecedence checks which fixture answers a call when several
// match: the most specific, then the one set last, whether the fixtures
// are indexed by exact conditions or tested one by one.
func TestFixturePrecedence(t *testing.T) {
	const route = `"method":"GET","url":"/V1/products/:sku"`
	for _, tc := range []struct {
		name     string
		fixtures []string // ids are their bodies
		params   map[string]string
		query    string
		header   http.Header
		body     any
		want     string // the id answering, "" for none
	}{
		{"catch-all", []string{`{"id":"all",` + route + `}`}, map[string]string{"sku": "A"}, "", nil, nil, "all"},
		{"exact path over catch-all", []string{`{"id":"sku",` + route + `,"match":{"path":{"sku":"A"}}}`, `{"id":"all",` + route + `}`},
			map[string]string{"sku": "A"}, "", nil, nil, "sku"},
		{"exact over pattern", []string{`{"id":"exact",` + route + `,"match":{"path":{"sku":"A"}}}`, `{"id":"re",` + route + `,"match":{"path":{"sku":{"matches":"^A"}}}}`},
			map[string]string{"sku": "A"}, "", nil, nil, "exact"},
		{"two exact over one", []string{`{"id":"two",` + route + `,"match":{"path":{"sku":"A"},"query":{"storeId":"1"}}}`, `{"id":"one",` + route + `,"match":{"path":{"sku":"A"}}}`},
			map[string]string{"sku": "A"}, "storeId=1", nil, nil, "two"},
		{"two exact need both", []string{`{"id":"two",` + route + `,"match":{"path":{"sku":"A"},"query":{"storeId":"1"}}}`, `{"id":"one",` + route + `,"match":{"path":{"sku":"A"}}}`},
			map[string]string{"sku": "A"}, "storeId=2", nil, nil, "one"},
		{"tie: the later", []string{`{"id":"first",` + route + `,"match":{"query":{"a":"1"}}}`, `{"id":"second",` + route + `,"match":{"query":{"b":"2"}}}`},
			map[string]string{"sku": "A"}, "a=1&b=2", nil, nil, "second"},
		{"tie: the later, other order", []string{`{"id":"second",` + route + `,"match":{"query":{"b":"2"}}}`, `{"id":"first",` + route + `,"match":{"query":{"a":"1"}}}`},
			map[string]string{"sku": "A"}, "a=1&b=2", nil, nil, "first"},
		{"query: the last of repeated keys", []string{`{"id":"q",` + route + `,"match":{"query":{"a":"2"}}}`},
			map[string]string{"sku": "A"}, "a=1&a=2", nil, nil, "q"},
		{"query: searchCriteria keys as sent", []string{`{"id":"q",` + route + `,"match":{"query":{"searchCriteria[pageSize]":"20"}}}`},
			map[string]string{"sku": "A"}, "searchCriteria%5BpageSize%5D=20", nil, nil, "q"},
		{"header names in any case", []string{`{"id":"h",` + route + `,"match":{"headers":{"x-store":"b2b"}}}`},
			map[string]string{"sku": "A"}, "", http.Header{"X-Store": {"b2b"}}, nil, "h"},
		{"absent", []string{`{"id":"abs",` + route + `,"match":{"query":{"debug":{"absent":true}}}}`},
			map[string]string{"sku": "A"}, "debug=1", nil, nil, ""},
		{"body exact over subset", []string{`{"id":"exact",` + route + `,"match":{"body":{"a":1},"body_exact":true}}`, `{"id":"subset",` + route + `,"match":{"body":{"a":1}}}`},
			map[string]string{"sku": "A"}, "", nil, map[string]any{"a": float64(1)}, "exact"},
		{"body subset", []string{`{"id":"exact",` + route + `,"match":{"body":{"a":1},"body_exact":true}}`, `{"id":"subset",` + route + `,"match":{"body":{"a":1}}}`},
			map[string]string{"sku": "A"}, "", nil, map[string]any{"a": float64(1), "b": "x"}, "subset"},
		{"body arrays element by element", []string{`{"id":"arr",` + route + `,"match":{"body":{"items":[{"sku":"A"}]}}}`},
			map[string]string{"sku": "A"}, "", nil, map[string]any{"items": []any{map[string]any{"sku": "A", "qty": float64(2)}}}, "arr"},
		{"body arrays of another length", []string{`{"id":"arr",` + route + `,"match":{"body":{"items":[{"sku":"A"}]}}}`},
			map[string]string{"sku": "A"}, "", nil, map[string]any{"items": []any{map[string]any{"sku": "A"}, map[string]any{"sku": "B"}}}, ""},
		{"scenario state weighs", []string{`{"id":"state",` + route + `,"scenario":"s","requires_state":"Started"}`, `{"id":"plain",` + route + `}`},
			map[string]string{"sku": "A"}, "", nil, nil, "state"},
		{"scenario in another state", []string{`{"id":"state",` + route + `,"scenario":"s","requires_state":"done"}`, `{"id":"plain",` + route + `}`},
			map[string]string{"sku": "A"}, "", nil, nil, "plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := newStubTable()
			for _, raw := range tc.fixtures {
				tab.put(mustFixture(t, raw))
			}
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			c := &call{params: tc.params, query: q, header: tc.header, body: tc.body, hasBody: tc.body != nil}
			if c.header == nil {
				c.header = http.Header{}
			}
			got := ""
			if s, _ := tab.choose("GET", "/V1/products/:sku", c); s != nil {
				got = s.ID
			}
			if got != tc.want {
				t.Errorf("answered by %q, want %q", got, tc.want)
			}
		})
	}
}

// TestFixtureReplace checks the ids and replacement rules of the table,
// and that its indexes are left clean.
func TestFixtureReplace(t *testing.T) {
	tab := newStubTable()
	a := tab.put(mustFixture(t, `{"method":"GET","url":"/V1/x","match":{"query":{"a":"1"}},"body":1}`))
	b := tab.put(mustFixture(t, `{"method":"GET","url":"/V1/x","match":{"query":{ "a" : "1" }},"body":2}`)) // the same match, written otherwise
	if a.ID != "f1" || b.ID != "f1" || len(tab.list()) != 1 || string(tab.list()[0].Body) != "2" {
		t.Fatalf("a = %s, b = %s, list %+v: want the second to replace the first", a.ID, b.ID, tab.list())
	}
	c := tab.put(mustFixture(t, `{"method":"GET","url":"/V1/x","match":{"query":{"a":"2"}},"body":3}`))
	named := tab.put(mustFixture(t, `{"id":"n","method":"GET","url":"/V1/x","match":{"query":{"a":"2"}},"body":4}`))
	if c.ID != "f3" || named.ID != "n" || len(tab.list()) != 3 {
		t.Fatalf("c = %s, named = %s, %d fixtures", c.ID, named.ID, len(tab.list()))
	}
	// Without an id, the last set of the same match is replaced: "n".
	d := tab.put(mustFixture(t, `{"method":"GET","url":"/V1/x","match":{"query":{"a":"2"}},"body":5}`))
	if d.ID != "n" || len(tab.list()) != 3 {
		t.Fatalf("d = %s, %d fixtures; want n replaced", d.ID, len(tab.list()))
	}
	// Deleting it hands the match over to f3.
	tab.delete("n")
	if e := tab.put(mustFixture(t, `{"method":"GET","url":"/V1/x","match":{"query":{"a":"2"}},"body":6}`)); e.ID != "f3" {
		t.Fatalf("after deleting n, a fixture with its match replaced %s, want f3", e.ID)
	}
	for _, id := range []string{"f1", "f3"} {
		tab.delete(id)
	}
	if len(tab.byRoute) != 0 || len(tab.bySame) != 0 || len(tab.sameCount) != 0 || len(tab.byID) != 0 {
		t.Errorf("after deleting every fixture: routes %v, same %v, counts %v, ids %v", tab.byRoute, tab.bySame, tab.sameCount, tab.byID)
	}
}

// FuzzFixtureMatch sets an arbitrary fixture and matches an arbitrary call
// against it: no panic, and a fixture that matched answers the same call
// again the same (its sequence repeats the last answer).
func FuzzFixtureMatch(f *testing.F) {
	f.Add(`{"method":"GET","url":"/V1/x/:id","match":{"path":{"id":"1"},"query":{"a":{"matches":"^[0-9]+$"}},"headers":{"x-a":"b"}}}`, "1", "a=12", "b", `{"a":1}`)
	f.Add(`{"method":"GET","url":"/V1/x/:id","match":{"body":{"a":[1,{"b":null}]}}}`, "", "", "", `{"a":[1,{"b":null,"c":2}]}`)
	f.Add(`{"method":"GET","url":"/V1/x/:id","match":{"body":{"a":1},"body_exact":true},"responses":[{"body":1},{"body":2}]}`, "", "", "", `{"a":1}`)
	f.Add(`{"method":"GET","url":"/V1/x/:id","match":{"query":{"q":{"absent":true}}}}`, "x", "q", "", `[]`)
	f.Fuzz(func(t *testing.T, fixture, id, query, header, body string) {
		fx, err := DecodeFixture([]byte(fixture))
		if err != nil {
			return
		}
		fx.Method, fx.URL = "GET", "/V1/x/:id"
		tab := newStubTable()
		tab.put(fx)
		q, _ := url.ParseQuery(query)
		c := &call{params: map[string]string{"id": id}, query: q, header: http.Header{"X-A": {header}}}
		if err := json.Unmarshal([]byte(body), &c.body); err == nil {
			c.hasBody = true
		}
		s, _ := tab.choose("GET", "/V1/x/:id", c)
		if s == nil || fx.AfterLast == "fail" || fx.NewState != "" {
			return
		}
		if again, _ := tab.choose("GET", "/V1/x/:id", c); again != s {
			t.Fatalf("the fixture matched once and not again: %s", fixture)
		}
	})
}

// TestFixtureSequenceConcurrent checks that concurrent calls share a
// sequence without losing or repeating a step, and that a scenario moves
// once per answer: each of 100 responses is given exactly once, then the
// fixture stops matching.
func TestFixtureSequenceConcurrent(t *testing.T) {
	var responses []string
	for i := range 100 {
		responses = append(responses, fmt.Sprintf(`{"body":%d}`, i))
	}
	tab := newStubTable()
	tab.put(mustFixture(t, `{"method":"GET","url":"/V1/x","after_last":"fail","scenario":"s","new_state":"moved","responses":[`+strings.Join(responses, ",")+`]}`))
	var (
		mu   sync.Mutex
		seen = map[string]int{}
		wg   sync.WaitGroup
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				c := &call{header: http.Header{}}
				if _, r := tab.choose("GET", "/V1/x", c); r != nil {
					mu.Lock()
					seen[string(r.Body)]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 100 {
		t.Errorf("%d distinct responses given, want 100", len(seen))
	}
	for body, n := range seen {
		if n != 1 {
			t.Errorf("response %s given %d times", body, n)
		}
	}
	if tab.scenarioStates()["s"] != "moved" {
		t.Errorf("scenario states %v", tab.scenarioStates())
	}
}
