package emulator_test

import (
	"encoding/json"
	"testing"

	"github.com/magekit/magekit/emulator"
)

// FuzzDecodeFixture feeds the fixture decoder arbitrary documents: it must
// not panic, and what it accepts must encode and decode to the same.
func FuzzDecodeFixture(f *testing.F) {
	for _, s := range []string{
		`{"method":"GET","url":"/V1/products"}`,
		`{"method":"GET","url":"/V1/products/:sku","match":{"path":{"sku":{"matches":"^A"}},"query":{"q":{"absent":true}},"body":{"a":[1]}},"responses":[{"status":404},{"body":1}],"after_last":"fail"}`,
		`{"method":"GET","url":"/x","scenario":"s","requires_state":"Started","new_state":"n","headers":{"X":"y"},"delay_ms":5}`,
		`{"staus":1}`, `[]`, `{"match":{"path":{"a":{"matches":"("}}}}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fx, err := emulator.DecodeFixture(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(fx)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", fx, err)
		}
		if _, err := emulator.DecodeFixture(b); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
	})
}

// FuzzParseSeed feeds the seed parser arbitrary files: it must not panic,
// and a seed it accepts must parse again from its own encoding.
func FuzzParseSeed(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"unmatched":"error","store_codes":["default"],"config":{"a":"b"}}`,
		`{"integrations":[{"name":"ERP","all_resources":true,"credentials":{"consumer_key":"k"}}]}`,
		`{"fixtures":[{"method":"GET","url":"/V1/products"}]}`, `{"fixtures":[{"staus":1}]}`, `[]`, `{"x":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := emulator.ParseSeed(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if _, err := emulator.ParseSeed(b); err != nil {
			t.Fatalf("re-parsing %s: %v", b, err)
		}
	})
}
