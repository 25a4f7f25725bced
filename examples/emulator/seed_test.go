package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedDoc is a seed file with an Active integration with fixed
// credentials, a config value, a fixture and the -unmatched error mode.
const seedDoc = `{
  "unmatched": "error",
  "store_codes": ["default", "b2b"],
  "config": {"oauth/consumer/enable_integration_as_bearer": "1"},
  "integrations": [
    {"name": "ERP", "all_resources": true, "credentials": {
      "consumer_key": "ck000000000000000000000000000001", "consumer_secret": "cs000000000000000000000000000001",
      "access_token": "at000000000000000000000000000001", "access_token_secret": "as000000000000000000000000000001"}},
    {"name": "PIM", "resources": ["Magento_Catalog::products"]}
  ],
  "fixtures": [{"method": "GET", "url": "/V1/products/:sku", "match": {"path": {"sku": "A"}}, "body": {"sku": "A"}}]
}`

func writeSeed(t *testing.T, doc string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSeed starts the emulator on a seed file, twice on one database (a
// rerun of a setup script), and calls as the seeded integration with no
// admin token.
func TestSeed(t *testing.T) {
	seed := writeSeed(t, seedDoc)
	db := "sqlite:" + filepath.Join(t.TempDir(), "seed.db")
	for run := range 2 {
		e := start(t, "-seed", seed, "-store", db)
		const bearer = "at000000000000000000000000000001"
		if status, body := e.call(nil, "GET", "rest/b2b/V1/products/A", bearer, ""); status != 200 || body != `{"sku": "A"}` {
			t.Fatalf("run %d: GET products/A as the seeded integration = %d %s", run, status, body)
		}
		if status, _ := e.call(nil, "GET", "rest/V1/products/B", bearer, ""); status != 404 {
			t.Fatalf("run %d: unmatched call = %d, want 404 (-unmatched error from the seed)", run, status)
		}
		if err := e.stopAndWait(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSeedErrors(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "seed.db")
	first := writeSeed(t, `{"integrations": [{"name": "ERP", "email": "a@example.com"}]}`)
	e := start(t, "-seed", first, "-store", db)
	if err := e.stopAndWait(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ doc, want string }{
		"unknown key":     {`{"integration": []}`, `unknown field "integration"`},
		"unknown nested":  {`{"integrations": [{"name": "X", "all_resource": true}]}`, `unknown field "all_resource"`},
		"no name":         {`{"integrations": [{"email": "x@example.com"}]}`, "integrations[0]: name is required"},
		"bad fixture":     {`{"fixtures": [{"method": "GET", "url": "/V1/x"}, {"method": "GET", "staus": 1}]}`, "fixtures[1]"},
		"unknown route":   {`{"fixtures": [{"method": "GET", "url": "/V1/nothing"}]}`, "fixtures[0]"},
		"bad credentials": {`{"integrations": [{"name": "Y", "credentials": {"consumer_key": "short"}}]}`, `integrations[0] ("Y")`},
		"name conflict":   {`{"integrations": [{"name": "ERP", "email": "b@example.com"}]}`, `integrations[0] ("ERP")`},
		"unknown config":  {`{"config": {"oauth/nope": "1"}}`, `config "oauth/nope"`},
		"bad unmatched":   {`{"unmatched": "maybe"}`, "unmatched"},
		"not JSON":        {`{`, "seed"},
	} {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-store", db, "-seed", writeSeed(t, tc.doc)}, &out, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "-seed") {
				t.Fatalf("run with seed %s = %v, want an error naming %q", tc.doc, err, tc.want)
			}
		})
	}
}

// TestWebapiDir serves an extension's route from -webapi, and refuses a
// malformed webapi.xml at start with its file and line.
func TestWebapiDir(t *testing.T) {
	e := start(t, "-webapi", filepath.Join("..", "..", "emulator", "testdata", "extensions"), "-unmatched", "error")
	if status, body := e.call(nil, "GET", "rest/V1/acme/ping", "", ""); status != 404 || !strings.Contains(body, "acme") {
		t.Errorf("GET acme/ping = %d %s, want the unmatched 404 of a served route", status, body)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "Bad_Module", "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Bad_Module", "etc", "webapi.xml"), []byte("<routes>\n<route url=\"/V1/bad\" method=\"GET\"/>\n</routes>"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-webapi", dir}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "Bad_Module/etc/webapi.xml:2") {
		t.Errorf("run with a bad webapi.xml = %v, want an error naming the file and line", err)
	}
}
