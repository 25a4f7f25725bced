package journal

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi"
)

// TestJournalRing checks that the journal keeps the most recent entries,
// oldest first, and forgets them on reset.
func TestJournalRing(t *testing.T) {
	j := New(3, 0)
	paths := func() []string {
		var out []string
		for _, e := range j.List() {
			out = append(out, e.Path)
		}
		return out
	}
	for i, want := range [][]string{
		{"/0"}, {"/0", "/1"}, {"/0", "/1", "/2"}, {"/1", "/2", "/3"}, {"/2", "/3", "/4"}, {"/3", "/4", "/5"}, {"/4", "/5", "/6"},
	} {
		j.Add(Entry{Path: "/" + string(rune('0'+i))})
		if diff := cmp.Diff(want, paths()); diff != "" {
			t.Errorf("after %d adds (-want +got):\n%s", i+1, diff)
		}
	}
	j.Reset()
	if got := j.List(); got == nil || len(got) != 0 {
		t.Errorf("list after reset = %#v, want an empty non-nil slice", got)
	}
	if New(0, 0).size != DefaultSize {
		t.Errorf("New(0, 0).size = %d, want %d", New(0, 0).size, DefaultSize)
	}
}

// TestJournalBytes checks that the journal keeps no more bytes than its
// budget, however many entries its count allows, dropping the oldest, and
// that one entry's headers are bounded.
func TestJournalBytes(t *testing.T) {
	const budget = 1 << 20
	j := New(10_000, budget)
	body := strings.Repeat("b", MaxBody)
	for i := range 1000 {
		j.Add(Entry{Path: "/" + strconv.Itoa(i), RequestBody: body})
	}
	l := j.List()
	if len(l) == 0 || len(l) >= 1000 {
		t.Fatalf("journal keeps %d of 1,000 entries of 16 KiB under a 1 MiB budget", len(l))
	}
	held := 0
	for i := range l {
		held += l[i].footprint()
	}
	if held > budget || j.bytes != held {
		t.Errorf("journal holds %d bytes (accounted %d), budget %d", held, j.bytes, budget)
	}
	if last := l[len(l)-1]; last.Path != "/999" || last.ID != 1000 || l[0].ID != uint64(1000-len(l)+1) {
		t.Errorf("kept ids %d..%d (last path %s), want the newest up to 1000", l[0].ID, last.ID, last.Path)
	}

	h := http.Header{}
	for i := range 200 {
		h.Set(fmt.Sprintf("X-%03d-%s", i, strings.Repeat("n", 300)), strings.Repeat("v", 2000))
	}
	got := redactHeaders(h)
	size := 0
	for k, v := range got {
		size += len(k) + len(v)
		if len(k) > maxJournalHeaderName || len(v) > maxJournalHeader {
			t.Errorf("header %d bytes named %d bytes kept", len(v), len(k))
		}
	}
	if size > maxJournalHeaderBytes || len(got) == 0 {
		t.Errorf("an entry keeps %d bytes in %d headers, want at most %d", size, len(got), maxJournalHeaderBytes)
	}
}

// TestEntryFromEvent checks how events become entries: callers, errors in
// their three renderings, and the bounds on long values.
func TestEntryFromEvent(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("X", 3600))
	long := strings.Repeat("p", 5000)
	tests := []struct {
		name string
		ev   webapi.Event
		want Entry
	}{
		{"integration", webapi.Event{Time: at, Method: "GET", Path: "/rest/V1/products", Query: "a=1", Route: "/V1/products",
			Caller:  webapi.Caller{Type: user.Integration, ID: 7, Credential: webapi.CredentialOAuth},
			Outcome: webapi.OutcomeFixture, Status: 200},
			Entry{Time: at.UTC(), Method: "GET", Path: "/rest/V1/products", Query: "a=1", Route: "/V1/products",
				Who: "integration", Credential: "oauth", IntegrationID: 7, Outcome: "fixture", Status: 200}},
		{"denied customer", webapi.Event{Time: at, Method: "GET", Path: "/p", Caller: webapi.Caller{Type: user.Customer, ID: 3, Credential: webapi.CredentialCustomerToken},
			Outcome: webapi.OutcomeDenied, Status: 401, Err: magerr.Named(magerr.Authorization, webapi.MsgNotAuthorized, "resources", "Magento_Catalog::products")},
			Entry{Time: at.UTC(), Method: "GET", Path: "/p", Who: "customer", Credential: "customer-token", UserID: 3,
				Outcome: "denied", Status: 401, Message: webapi.MsgNotAuthorized, Parameters: []byte(`{"resources":"Magento_Catalog::products"}`)}},
		{"webapi error substituted", webapi.Event{Time: at, Method: "PATCH", Path: "/p", Caller: webapi.Caller{Type: user.Guest}, Outcome: webapi.OutcomeRejected, Status: 405,
			Err: &magerr.Error{Class: magerr.Webapi, Code: 405, Message: webapi.MsgMethodNotSupported, Params: []magerr.Param{{Name: "1", Value: "PATCH"}}}},
			Entry{Time: at.UTC(), Method: "PATCH", Path: "/p", Who: "guest", Outcome: "rejected", Status: 405,
				Message: "The PATCH HTTP method is not supported."}},
		{"internal error hides its cause", webapi.Event{Time: at, Method: "GET", Path: "/p", Caller: webapi.Caller{Type: user.Admin, ID: 1, Credential: webapi.CredentialAdminToken},
			Outcome: webapi.OutcomeError, Status: 500, Err: &magerr.Error{Class: magerr.Internal, Message: "secret detail"}},
			Entry{Time: at.UTC(), Method: "GET", Path: "/p", Who: "admin", Credential: "admin-token", UserID: 1,
				Outcome: "error", Status: 500, Message: magerr.InternalMessage}},
		{"aggregate", webapi.Event{Time: at, Method: "POST", Path: "/p", Caller: webapi.Caller{Type: user.Guest}, Outcome: webapi.OutcomeHandler, Status: 400,
			Err: magerr.Join(magerr.Required("username"), magerr.Required("password"))},
			Entry{Time: at.UTC(), Method: "POST", Path: "/p", Who: "guest", Outcome: "handler", Status: 400,
				Message: magerr.AggregateMessage, Errors: []Error{
					{Message: magerr.RequiredMessage, Parameters: []byte(`{"fieldName":"username"}`)},
					{Message: magerr.RequiredMessage, Parameters: []byte(`{"fieldName":"password"}`)},
				}}},
		{"long values are cut", webapi.Event{Time: at, Method: "GET", Path: long, Query: long, BaseString: long + long, Caller: webapi.Caller{Type: user.Guest},
			Outcome: webapi.OutcomeNoRoute, Status: 404, Err: magerr.New(magerr.NoSuchEntity, "%1", long)},
			Entry{Time: at.UTC(), Method: "GET", Path: long[:MaxPath-3] + "...", Query: long[:MaxPath-3] + "...",
				BaseString: (long + long)[:maxBase-3] + "...", Who: "guest", Outcome: "no_route", Status: 404,
				Message: "%1", Parameters: []byte(`["` + long[:MaxParam-3] + `..."]`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, FromEvent(tt.ev)); diff != "" {
				t.Errorf("entryFromEvent (-want +got):\n%s", diff)
			}
		})
	}
}
