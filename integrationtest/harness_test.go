package integrationtest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/magekit/magekit/integrationtest"
)

// fatalTB records the first Fatalf of a helper and stops its goroutine,
// as testing.T does, without failing the test around it.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatalOf runs fn with a fatalTB and returns what it failed with.
func fatalOf(t *testing.T, fn func(testing.TB)) string {
	tb := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	return tb.msg
}

func TestHarnessHelpers(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"unmatched":"error","integrations":[{"name":"ERP","all_resources":true}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := integrationtest.NewServer(t, integrationtest.WithSeedFile(seed), integrationtest.WithoutJournalBodies(),
		integrationtest.WithExtensions(os.DirFS(filepath.Join("..", "emulator", "testdata", "extensions"))))
	if in := srv.Integration(t, "ERP"); !in.AllResources {
		t.Errorf("seeded integration = %+v", in)
	}
	f := srv.PutFixture(t, fixture.Fixture{Method: "GET", URL: "/V1/acme/items/:id", Scenario: "sync", NewState: "read",
		Match: fixture.Match{Path: map[string]fixture.Condition{"id": {Equals: "7"}}}, Body: json.RawMessage(`{"id":7}`)})
	if l := srv.Fixtures(); len(l) != 1 || l[0].ID != f.ID {
		t.Fatalf("Fixtures = %+v, want the one set (%s)", l, f.ID)
	}
	if status, body := srv.AdminDo(t, "GET", "/rest/V1/acme/items/7", ""); status != 200 || string(body) != `{"id":7}` {
		t.Errorf("GET acme/items/7 = %d %s", status, body)
	}
	if status, _ := srv.AdminDo(t, "GET", "/rest/V1/acme/items/8", ""); status != 404 {
		t.Errorf("GET acme/items/8 = %d, want 404 (-unmatched error from the seed file)", status)
	}
	if s := srv.Scenarios(); s["sync"] != "read" {
		t.Errorf("Scenarios = %v", s)
	}
	srv.SetScenarios(map[string]string{"sync": "Started"})
	if s := srv.Scenarios(); s["sync"] != "Started" {
		t.Errorf("Scenarios after SetScenarios = %v", s)
	}
	srv.DeleteFixture(t, f.ID)
	if l := srv.Fixtures(); len(l) != 0 {
		t.Errorf("Fixtures after DeleteFixture = %+v", l)
	}
	for _, e := range srv.Journal() {
		if e.RequestHeaders != nil || e.RequestBody != "" {
			t.Errorf("WithoutJournalBodies: entry %d holds the request", e.ID)
		}
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"integrations":[{"name":"A"},{"name":"B","all_resource":true}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg := fatalOf(t, func(tb testing.TB) { integrationtest.NewServer(tb, integrationtest.WithSeedFile(bad)) }); !strings.Contains(msg, "all_resource") || !strings.Contains(msg, bad) {
		t.Errorf("NewServer with a bad seed file failed with %q, want the file and the field", msg)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "Bad_M", "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Bad_M", "etc", "webapi.xml"), []byte("<routes>\n<route url=\"/V1/bad\" method=\"GET\"/>\n</routes>"), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg := fatalOf(t, func(tb testing.TB) { integrationtest.NewServer(tb, integrationtest.WithExtensions(os.DirFS(dir))) }); !strings.Contains(msg, "Bad_M/etc/webapi.xml:2") {
		t.Errorf("NewServer with a bad webapi.xml failed with %q, want the file and line", msg)
	}
	if msg := fatalOf(t, func(tb testing.TB) {
		srv.PutFixture(tb, fixture.Fixture{Method: "POST", URL: "/V1/integration/admin/token"})
	}); !strings.Contains(msg, "answered by the emulator itself") {
		t.Errorf("PutFixture on a token route failed with %q", msg)
	}
}
