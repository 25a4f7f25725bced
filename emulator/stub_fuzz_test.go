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
