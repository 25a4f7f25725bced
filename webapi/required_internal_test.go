package webapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/magekit/magekit/webapi/route"
)

// TestPHPQueryName checks the names parse_str gives query keys.
func TestPHPQueryName(t *testing.T) {
	for in, want := range map[string]string{
		"searchCriteria":                      "searchCriteria",
		"searchCriteria[pageSize]":            "searchCriteria",
		"searchCriteria[filter_groups][0][x]": "searchCriteria",
		"search.criteria":                     "search_criteria",
		"search criteria":                     "search_criteria",
		"  searchCriteria":                    "searchCriteria",
		"a[b":                                 "a_b",
		"[x]":                                 "_x]",
	} {
		if got := phpQueryName(in); got != want {
			t.Errorf("phpQueryName(%q) = %q, want %q", in, got, want)
		}
		if !phpQueryNameIs(in, want) || phpQueryNameIs(in, want+"x") {
			t.Errorf("phpQueryNameIs(%q, %q) disagrees with phpQueryName", in, want)
		}
	}
}

// TestMissingParamsAllocs checks that the check of a list call with its
// searchCriteria costs no allocation, so the hot path does not grow.
func TestMissingParamsAllocs(t *testing.T) {
	rt, err := route.NewTable(route.Default())
	if err != nil {
		t.Fatal(err)
	}
	r := rt.Match("GET", "/V1/products")
	const q = "searchCriteria[filterGroups][0][filters][0][field]=sku&searchCriteria[filterGroups][0][filters][0][value]=24-MB01"
	allocs := testing.AllocsPerRun(100, func() {
		if e := missingParams(r, q, nil, guest); e != nil {
			t.Fatal(e)
		}
	})
	if allocs != 0 {
		t.Errorf("missingParams allocates %.0f times, want 0", allocs)
	}
}

// FuzzQuerySets feeds arbitrary queries and names to the query reader: it
// never panics, and a plain name appended to any query is found.
func FuzzQuerySets(f *testing.F) {
	f.Add("searchCriteria[pageSize]=1", "searchCriteria")
	f.Add("a=1&&=&b[=2&%5Bx%5D=3&c+d.e=4", "c_d_e")
	f.Add("%zz=1&search%5Fcriteria=", "search_criteria")
	f.Fuzz(func(t *testing.T, query, name string) {
		_ = querySets(query, name)
		if phpQueryNameIs(query, name) != (phpQueryName(query) == name) {
			t.Errorf("phpQueryNameIs(%q, %q) disagrees with phpQueryName", query, name)
		}
		tab, err := route.NewTable([]route.Route{{Method: "GET", URL: "/V1/fuzz", Required: []string{name}}})
		if err != nil {
			t.Fatal(err)
		}
		_ = missingParams(tab.Exact("GET", "/V1/fuzz"),
			query, map[string]json.RawMessage{name: json.RawMessage("null")}, guest)
		if name == "" || strings.TrimLeft(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
			return
		}
		if !querySets(query+"&"+name+"=1", name) {
			t.Errorf("querySets(%q, %q) = false", query+"&"+name+"=1", name)
		}
	})
}

// BenchmarkMissingParams measures the check of a list call that gives its
// searchCriteria in the query, beside the route lookup of the same path as
// the baseline.
func BenchmarkMissingParams(b *testing.B) {
	rt, err := route.NewTable(route.Default())
	if err != nil {
		b.Fatal(err)
	}
	const q = "searchCriteria[filterGroups][0][filters][0][field]=sku&searchCriteria[filterGroups][0][filters][0][value]=24-MB01"
	r := rt.Match("GET", "/V1/products")
	b.Run("match", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if rt.Match("GET", "/V1/products") == nil {
				b.Fatal("no route")
			}
		}
	})
	b.Run("required", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if missingParams(r, q, nil, guest) != nil {
				b.Fatal("missing")
			}
		}
	})
}
