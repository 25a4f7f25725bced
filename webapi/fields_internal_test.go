package webapi

import (
	"encoding/json"
	"testing"

	"github.com/magekit/magekit/webapi/internal/wire"
)

// fieldsBody is a products search answer with custom attributes.
const fieldsBody = `{"items":[` +
	`{"id":1,"sku":"a","name":"Café/x","price":3.5,"custom_attributes":[{"attribute_code":"color","value":"red"},{"attribute_code":"size","value":"L"}]},` +
	`{"id":2,"sku":"b","name":"B","price":4,"custom_attributes":[]}],` +
	`"search_criteria":{"page_size":20},"total_count":2}`

// TestFilterFields checks the fields filter against answers worked out by
// hand from Webapi\Rest\Response\FieldsFilter (parse, applyFilter,
// recursiveArrayIntersectKey, filterCustomAttributes) and PHP's
// json_encode of the result.
func TestFilterFields(t *testing.T) {
	for _, tc := range []struct {
		name, body, query string
		applied           bool
		want              string
	}{
		{"fields of each item", fieldsBody, "fields=items[sku,name]", true, `{"items":[{"sku":"a","name":"Caf\u00e9\/x"},{"sku":"b","name":"B"}]}`},
		{"the answer's order, not the filter's", fieldsBody, "fields=total_count,items[id]", true, `{"items":[{"id":1},{"id":2}],"total_count":2}`},
		{"a whole object", fieldsBody, "fields=search_criteria", true, `{"search_criteria":{"page_size":20}}`},
		{"URL-encoded", fieldsBody, "fields=items%5Bsku%5D%2Ctotal_count", true, `{"items":[{"sku":"a"},{"sku":"b"}],"total_count":2}`},
		{"custom attribute by code", fieldsBody, "fields=items[custom_attributes[size]]", true,
			`{"items":[{"custom_attributes":{"1":{"attribute_code":"size","value":"L"}}},{"custom_attributes":[]}]}`},
		{"custom attributes' codes", fieldsBody, "fields=items[custom_attributes[attribute_code]]", true,
			`{"items":[{"custom_attributes":[{"attribute_code":"color"},{"attribute_code":"size"}]},{"custom_attributes":[]}]}`},
		{"no such field", fieldsBody, "fields=nothing", true, `[]`},
		{"an unclosed bracket", fieldsBody, "fields=items[sku", true, `[]`},
		{"a bracket too many", fieldsBody, "fields=items[sku]]", true, `[]`},
		{"a character outside the filter's", fieldsBody, "fields=items[sku],total-count", true, `[]`},
		{"a space", fieldsBody, "fields=items[sku,+name]", true, `[]`},
		{"an array", fieldsBody, "fields[]=items", true, `[]`},
		{"the last one counts", fieldsBody, "fields=nothing&fields=total_count", true, `{"total_count":2}`},
		{"a list answer", `[{"a":1,"b":2},{"a":3}]`, "fields=a", true, `[{"a":1},{"a":3}]`},
		{"scalar items stay (PHP's type-checked call fails on them)", `{"l":["x","y","z"]}`, "fields=l[1]", true, `{"l":["x","y","z"]}`},
		{"an empty list gives null", `{"items":[],"total_count":0}`, "fields=items[sku]", true, `{"items":null}`},
		{"an empty filter keeps nothing", `{"o":{"a":1}}`, "fields=o[]", true, `{"o":[]}`},
		{"a name under its parent", `{"a":{"b":{"c":1,"d":2}}}`, "fields=a[b[c]]", true, `{"a":{"b":{"c":1}}}`},
		// "01" is a string key in PHP, so the answer is not sequential.
		{"a key with a leading zero", `{"01":{"a":1},"1":{"a":2}}`, "fields=a", true, `[]`},
		{"integer keys", `{"2":{"a":1,"b":2},"1":{"a":3}}`, "fields=a", true, `{"2":{"a":1},"1":{"a":3}}`},
		{"a numeric attribute code", `{"custom_attributes":[{"attribute_code":10,"value":"x"},{"attribute_code":"y","value":"z"}]}`,
			"fields=custom_attributes[10]", true, `{"custom_attributes":[{"attribute_code":10,"value":"x"}]}`},
		{"0 is no filter", fieldsBody, "fields=0", false, ""},
		{"empty is no filter", fieldsBody, "fields=", false, ""},
		{"no fields", fieldsBody, "searchCriteria=", false, ""},
		{"a scalar answer", `true`, "fields=a", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := wire.DecodeJSON([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			got, applied := filterFields(tc.query, v)
			if applied != tc.applied {
				t.Fatalf("filterFields(%q) applied = %t, want %t", tc.query, applied, tc.applied)
			}
			if applied {
				if s := string(wire.AppendJSON(nil, got)); s != tc.want {
					t.Errorf("filterFields(%q) = %s\nwant %s", tc.query, s, tc.want)
				}
			}
		})
	}
}

// TestParseFields checks FieldsFilter::parse's state machine on the shapes
// its quirks show in.
func TestParseFields(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want string // the filter as JSON, a kept field as null
	}{
		{"a", true, `{"a":null}`},
		{"a,b", true, `{"a":null,"b":null}`},
		{"a[b,c],d", true, `{"a":{"b":null,"c":null},"d":null}`},
		{"a[b],[c]", true, `{"a":{"b":null},"b":{"c":null}}`}, // '[' reopens the last name read
		{"[a]", true, `{"":{"a":null}}`},
		{"a]", true, `{"":{"a":null}}`},
		{"a[]", true, `{"a":{}}`},
		{",,a,,", true, `{"a":null}`},
		{"a[b", false, ""},
		{"", false, ""},
		{"a b", false, ""},
		{"a.b", false, ""},
		{"é", false, ""},
	} {
		f, ok := parseFields(tc.in)
		if ok != tc.ok {
			t.Errorf("parseFields(%q) ok = %t, want %t", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		got, _ := json.Marshal(f)
		var a, b any
		_ = json.Unmarshal(got, &a)
		_ = json.Unmarshal([]byte(tc.want), &b)
		if ga, gb := mustJSON(a), mustJSON(b); ga != gb {
			t.Errorf("parseFields(%q) = %s, want %s", tc.in, ga, gb)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// FuzzFilterFields runs the fields filter over arbitrary queries and
// answers: no panic, and what it gives is JSON.
func FuzzFilterFields(f *testing.F) {
	for _, q := range []string{"fields=items[sku,name]", "fields=a]", "fields=[", "fields[]=a", "fields=a[b[c[d]]],e", "fields=custom_attributes[x]", "fields=0"} {
		f.Add(q, fieldsBody)
		f.Add(q, `[1,{"a":[2]},[]]`)
	}
	f.Add("fields=custom_attributes[attribute_code,value]", `{"custom_attributes":[1,{"attribute_code":["x"]},{"value":{}}]}`)
	f.Fuzz(func(t *testing.T, query, body string) {
		v, err := wire.DecodeJSON([]byte(body))
		if err != nil {
			return
		}
		got, _ := filterFields(query, v)
		if out := wire.AppendJSON(nil, got); !json.Valid(out) {
			t.Fatalf("filterFields(%q, %s) wrote %s, not JSON", query, body, out)
		}
	})
}
