package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/emulator/journal"
)

// decodeJournal decodes a journal answer.
func decodeJournal(t *testing.T, body string) []journal.Entry {
	t.Helper()
	var l []journal.Entry
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatalf("journal %q: %v", body, err)
	}
	return l
}

func TestJournalFilters(t *testing.T) {
	h := newEmuHarness(t, nil)
	admin := "Authorization: Bearer " + h.adminToken()                                                          // entry 1: the admin token
	h.do("GET", "/rest/V1/products?searchCriteria=", "")                                                        // 2: guest, denied
	h.do("GET", "/rest/V1/orders/7", "", admin)                                                                 // 3
	h.do("POST", "/rest/V1/orders", `{"entity":{"increment_id":"1"}}`, admin, "Content-Type: application/json") // 4
	h.do("GET", "/rest/V1/nothing/here", "")                                                                    // 5: no route

	for _, tc := range []struct {
		query string
		ids   []uint64
	}{
		{"", []uint64{1, 2, 3, 4, 5}},
		{"?method=POST", []uint64{1, 4}},
		{"?path=/rest/V1/orders/7", []uint64{3}},
		{"?path=/rest/V1/orders*", []uint64{3, 4}},
		{"?route=/V1/orders/:id", []uint64{3}},
		{"?outcome=no_route", []uint64{5}},
		{"?who=admin", []uint64{3, 4}},
		{"?since=3", []uint64{4, 5}},
		{"?since=2&limit=2", []uint64{3, 4}},
		{"?method=GET&who=admin", []uint64{3}},
		{"?since=2000-01-01T00:00:00Z&limit=1", []uint64{1}},
		{"?integration_id=99", nil},
	} {
		r := h.do("GET", "/rest/V1/emulator/journal"+tc.query, "", admin)
		if r.status != 200 {
			t.Fatalf("GET journal%s = %d %s", tc.query, r.status, r.body)
		}
		var got []uint64
		for _, e := range decodeJournal(t, r.body) {
			got = append(got, e.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.ids) {
			t.Errorf("GET journal%s = ids %v, want %v", tc.query, got, tc.ids)
		}
		c := h.do("GET", "/rest/V1/emulator/journal/count"+tc.query, "", admin)
		want := len(tc.ids)
		if strings.Contains(tc.query, "limit=") {
			want = -1 // count ignores limit
		}
		if want >= 0 && c.body != fmt.Sprintf(`{"count":%d}`, want) {
			t.Errorf("GET journal/count%s = %d %s, want count %d", tc.query, c.status, c.body, want)
		}
	}
	for _, bad := range []string{"?metod=GET", "?since=yesterday", "?limit=0", "?limit=x", "?integration_id=-1", "?method=GET&method=POST"} {
		r := h.do("GET", "/rest/V1/emulator/journal"+bad, "", admin)
		if r.status != 400 || !strings.Contains(r.body, "The journal filter") {
			t.Errorf("GET journal%s = %d %s, want 400 naming the filter", bad, r.status, r.body)
		}
	}

	// DELETE clears the journal only; ids go on.
	if r := h.do("DELETE", "/rest/V1/emulator/journal", "", admin); r.status != 200 || r.body != "true" {
		t.Fatalf("DELETE journal = %d %s", r.status, r.body)
	}
	if n := len(h.emu.Journal()); n != 0 {
		t.Fatalf("journal after DELETE has %d entries", n)
	}
	r := h.do("GET", "/rest/V1/emulator/journal", "", admin)
	if l := decodeJournal(t, r.body); len(l) != 0 {
		t.Fatalf("journal after DELETE = %v", l)
	}
	h.do("GET", "/rest/V1/orders/8", "", admin)
	if l := h.emu.Requests(journal.Filter{Path: "/rest/V1/orders/8"}); len(l) != 1 || l[0].ID <= 5 {
		t.Fatalf("entry after a clear = %+v, want one with an id past 5", l)
	}
}

func TestJournalRequestBodies(t *testing.T) {
	h := newEmuHarness(t, nil)
	admin := "Authorization: Bearer " + h.adminToken()
	h.do("POST", "/rest/V1/orders?access_token=qs", `{"entity":{"increment_id":"100"},"customer":{"password":"hunter2","nested":[{"client_secret":"s"}]}}`,
		admin, "Content-Type: application/json", "Cookie: admin=abc", "X-Api-Token: xapitokvalue")
	h.do("POST", "/rest/V1/customers", "firstname=A&password=hunter2", "Content-Type: application/x-www-form-urlencoded")
	h.do("PUT", "/rest/V1/orders/1", "<xml><password>hunter2</password></xml>", admin, "Content-Type: application/xml")
	h.do("GET", "/rest/V1/orders/1", "", `Authorization: OAuth oauth_consumer_key="k",oauth_token="t0k",oauth_signature_method="HMAC-SHA256",oauth_signature="s1g"`)
	h.do("PUT", "/rest/V1/orders/2", `{"cut":"`+strings.Repeat("x", journal.MaxBody)+`"}`, admin, "Content-Type: application/json")

	all := h.emu.Journal()
	raw, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hunter2", `"s"`, "abc", "xapitokvalue", "t0k", "s1g", "qs", h.adminToken()} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("journal holds the secret %q", secret)
		}
	}
	byPath := func(method, path string) journal.Entry {
		l := h.emu.Requests(journal.Filter{Method: method, Path: path})
		if len(l) != 1 {
			t.Fatalf("%s %s: %d entries", method, path, len(l))
		}
		return l[0]
	}
	order := byPath("POST", "/rest/V1/orders")
	if !strings.Contains(order.RequestBody, `"increment_id":"100"`) || order.RequestHeaders["Content-Type"] != "application/json" ||
		order.RequestHeaders["Authorization"] != "Bearer REDACTED" || order.RequestHeaders["Cookie"] != "REDACTED" ||
		order.RequestHeaders["X-Api-Token"] != "REDACTED" {
		t.Errorf("POST /V1/orders entry: body %q headers %v", order.RequestBody, order.RequestHeaders)
	}
	if e := byPath("POST", "/rest/V1/customers"); e.RequestBody != "firstname=A&password=REDACTED" {
		t.Errorf("form body = %q", e.RequestBody)
	}
	if e := byPath("PUT", "/rest/V1/orders/1"); e.RequestBody != "WITHHELD: the body could not be parsed and may hold a secret" {
		t.Errorf("XML body with a password = %q, want it withheld", e.RequestBody)
	}
	if e := byPath("GET", "/rest/V1/orders/1"); e.RequestHeaders["Authorization"] !=
		`OAuth oauth_consumer_key="k",oauth_token="REDACTED",oauth_signature_method="HMAC-SHA256",oauth_signature="REDACTED"` {
		t.Errorf("OAuth header = %q", e.RequestHeaders["Authorization"])
	}
	if e := byPath("PUT", "/rest/V1/orders/2"); !e.RequestBodyTruncated || len(e.RequestBody) > journal.MaxBody {
		t.Errorf("long body: truncated %v, %d bytes kept", e.RequestBodyTruncated, len(e.RequestBody))
	}

	off := newEmuHarness(t, func(c *emulator.Config) { c.NoJournalBodies = true })
	off.do("POST", "/rest/V1/customers", "firstname=A", "Content-Type: application/x-www-form-urlencoded")
	for _, e := range off.emu.Journal() {
		if e.RequestBody != "" || e.RequestHeaders != nil {
			t.Errorf("NoJournalBodies: entry %+v holds the request", e)
		}
	}
}

// chunkRecorder is a ResponseWriter that records the size of each write.
type chunkRecorder struct {
	header http.Header
	status int
	writes []int
	total  int
	body   strings.Builder
}

func (c *chunkRecorder) Header() http.Header { return c.header }
func (c *chunkRecorder) WriteHeader(s int)   { c.status = s }
func (c *chunkRecorder) Write(p []byte) (int, error) {
	c.writes = append(c.writes, len(p))
	c.total += len(p)
	return c.body.Write(p)
}

// TestJournalStreams checks that a large journal is answered as it is
// encoded, in bounded pieces, not built whole in memory first.
func TestJournalStreams(t *testing.T) {
	h := newEmuHarness(t, func(c *emulator.Config) { c.JournalSize = 2000 })
	admin := "Authorization: Bearer " + h.adminToken()
	long := strings.Repeat("a", 1900)
	for i := range 2000 {
		h.do("POST", fmt.Sprintf("/rest/V1/orders?n=%d&q=%s", i, long), `{"entity":{"a":"`+long+`"}}`, admin, "X-Long: "+long, "Content-Type: application/json")
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", "/rest/V1/emulator/journal", nil)
	req.Header.Set("Authorization", admin[len("Authorization: "):])
	rec := &chunkRecorder{header: http.Header{}}
	h.emu.ServeHTTP(rec, req)
	if rec.status != 200 || rec.total < 8<<20 {
		t.Fatalf("GET journal = %d, %d bytes; the test wants a journal of more than 8 MiB", rec.status, rec.total)
	}
	largest := 0
	for _, n := range rec.writes {
		largest = max(largest, n)
	}
	if largest > 64<<10 {
		t.Errorf("GET journal wrote %d bytes at once (%d writes); want it streamed in pieces of at most 64 KiB", largest, len(rec.writes))
	}
	if l := decodeJournal(t, rec.body.String()); len(l) != 2000 {
		t.Errorf("streamed journal has %d entries, want 2000 (the journal's size)", len(l))
	}
}

// TestJournalPathSecrets checks that a secret carried as a path parameter
// (a password reset token) is not journaled, and that a secret in a
// comma-split OAuth header value leaves no piece behind.
func TestJournalPathSecrets(t *testing.T) {
	h := newEmuHarness(t, nil)
	h.do("GET", "/rest/V1/customers/5/password/resetLinkToken/R3S3TT0K3N", "")
	h.do("GET", "/rest/default/V1/customers/5/password/resetLinkToken/R3S3TT0K3N?x=1", "")
	h.do("GET", "/rest/V1/products/x", "", `Authorization: OAuth oauth_consumer_key="k",oauth_signature="S1G,PART2"`)
	raw, err := json.Marshal(h.emu.Journal())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"R3S3TT0K3N", "S1G", "PART2"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("journal holds %q: %s", secret, raw)
		}
	}
	l := h.emu.Requests(journal.Filter{Route: "/V1/customers/:customerId/password/resetLinkToken/:resetPasswordLinkToken"})
	if len(l) != 2 || l[0].Path != "/rest/V1/customers/5/password/resetLinkToken/REDACTED" ||
		l[1].Path != "/rest/default/V1/customers/5/password/resetLinkToken/REDACTED" {
		t.Errorf("reset-token entries = %+v", l)
	}
}
