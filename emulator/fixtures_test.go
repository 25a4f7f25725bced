package emulator_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/google/go-cmp/cmp"
)

// TestLoadFixtures loads a directory of fixture files, one object and one
// array, and checks the errors that set nothing.
func TestLoadFixtures(t *testing.T) {
	h := newEmuHarness(t, nil)
	n, err := h.emu.LoadFixtures(fstest.MapFS{
		"a.json":    {Data: []byte(`{"fixture": {"method": "GET", "url": "/V1/products", "body": {"items": []}}}`)},
		"b.json":    {Data: []byte(`[{"method": "get", "url": "/V1/products/:sku", "status": 404, "body": {"message": "nope"}}, {"fixture": {"method": "GET", "url": "/V1/products", "body": {"items": [1]}}}]`)},
		"notes.txt": {Data: []byte("ignored")},
	})
	if err != nil || n != 3 {
		t.Fatalf("LoadFixtures = %d, %v; want 3, nil", n, err)
	}
	// b.json's fixture of /V1/products has a.json's match (none): it
	// replaces it, keeping its id, and comes last as the latest set.
	got := h.emu.Fixtures()
	want := []fixture.Fixture{
		{ID: "f2", Method: "GET", URL: "/V1/products/:sku", Status: 404, Body: []byte(`{"message": "nope"}`)},
		{ID: "f1", Method: "GET", URL: "/V1/products", Status: 200, Body: []byte(`{"items": [1]}`)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fixtures (-want +got):\n%s", diff)
	}

	for name, data := range map[string]string{
		"unknown route":  `{"fixture": {"method": "GET", "url": "/V1/nothing"}}`,
		"not JSON":       `{"fixture": `,
		"no url":         `[{"method": "GET"}]`,
		"bad status":     `{"fixture": {"method": "GET", "url": "/V1/categories", "status": 1000}}`,
		"status text":    `{"fixture": {"method": "GET", "url": "/V1/categories", "status": "x"}}`,
		"a number":       `42`,
		"unknown field":  `{"fixture": {"method": "GET", "url": "/V1/categories", "staus": 404}}`,
		"built-in route": `{"fixture": {"method": "POST", "url": "/V1/integration/admin/token", "body": "t"}}`,
	} {
		h2 := newEmuHarness(t, nil)
		_, err := h2.emu.LoadFixtures(fstest.MapFS{
			"a.json": {Data: []byte(`{"fixture": {"method": "GET", "url": "/V1/store/websites", "body": []}}`)},
			"z.json": {Data: []byte(data)},
		})
		if err == nil || !strings.Contains(err.Error(), "z.json") {
			t.Errorf("%s: LoadFixtures error %v, want one naming z.json", name, err)
		}
		if f := h2.emu.Fixtures(); len(f) != 0 {
			t.Errorf("%s: a failed load set %v", name, f)
		}
	}
}

// TestParseFixtures checks the two file shapes.
func TestParseFixtures(t *testing.T) {
	fs, err := fixture.Parse([]byte(` [ {"method":"PUT","url":"/V1/products/:sku","body":null} ] `))
	if err != nil {
		t.Fatal(err)
	}
	want := []fixture.Fixture{{Method: "PUT", URL: "/V1/products/:sku", Status: 200, Body: []byte("null")}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("ParseFixtures (-want +got):\n%s", diff)
	}
}
