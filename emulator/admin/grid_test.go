package admin_test

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/magekit/magekit/integration"
)

func TestGridFilterSortPage(t *testing.T) {
	h := newHarness(t)
	names := []string{"beta", "Alpha", "gamma", "Älg", "alpha two", "Delta"}
	for i, n := range names {
		in := integration.Integration{Name: n}
		if i == 2 {
			in.Endpoint = "HTTP://upper.example/e" // the banner, not the label
		}
		if _, err := h.svc.Create(t.Context(), in); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 45 {
		if _, err := h.svc.Create(t.Context(), integration.Integration{Name: fmt.Sprintf("bulk %02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.svc.Activate(t.Context(), 2); err != nil { // Alpha: direct path, Active
		t.Fatal(err)
	}
	h.signIn(h.client, "secret")
	filter := func(q string) string {
		return strings.NewReplacer("+", "-", "/", "_", "=", ",").Replace(base64.StdEncoding.EncodeToString([]byte(q)))
	}
	cell := regexp.MustCompile(`<td class="col-name">([^<]*)`)
	tests := []struct {
		name  string
		path  string
		rows  []string // first rows shown
		count int      // rows shown
		total string
	}{
		{"default: id ascending, 20 rows", "", names[:6], 20, "51"},
		{"page 3 of 20", "page/3/", []string{"bulk 34"}, 11, "51"},
		{"a page past the last shows the last", "page/9/", []string{"bulk 34"}, 11, "51"},
		{"limit 50", "limit/50/", names, 50, "51"},
		{"an unknown limit is 20", "limit/7/", names, 20, "51"},
		{"name ascending, case-insensitive", "sort/name/dir/asc/filter/" + filter("name=a") + "/", []string{"Alpha", "alpha two", "beta", "Delta", "gamma"}, 5, "5"},
		{"name descending", "sort/name/dir/desc/filter/" + filter("name=ALPHA") + "/", []string{"alpha two", "Alpha"}, 2, "2"},
		{"status filter", "filter/" + filter("status=1") + "/", []string{"Alpha"}, 1, "1"},
		{"status sort descending", "sort/status/dir/desc/limit/20/", []string{"Alpha", "bulk 44"}, 20, "51"},
		{"non-ASCII filter", "filter/" + filter("name=%C3%A4") + "/", []string{"Älg"}, 1, "1"},
		{"no match", "filter/" + filter("name=zzz") + "/", nil, 0, "0"},
		{"a broken filter is ignored", "filter/!!!/", names[:6], 20, "51"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := h.get("admin/admin/integration/index/" + tt.path).body
			var got []string
			for _, m := range cell.FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			if len(got) != tt.count || !slices.Equal(got[:len(tt.rows)], tt.rows) {
				t.Fatalf("rows = %q (%d), want %d starting %q", got, len(got), tt.count, tt.rows)
			}
			if !strings.Contains(body, `data-ui-id="integrationGrid-total-count">`+tt.total+`<`) {
				t.Fatalf("total is not %s", tt.total)
			}
			if tt.count == 0 && !strings.Contains(body, "We couldn't find any records.") {
				t.Fatal("no empty text")
			}
		})
	}
	body := h.get("admin/admin/integration/").body
	if !strings.Contains(body, "Warning! Integrations not using HTTPS") || strings.Contains(body, "Integration not secure") {
		t.Fatal("HTTP: (upper case) should give the banner and no row label")
	}
	if strings.Count(body, `data-row-is-reauthorize="1"`) != 1 || !strings.Contains(body, `title="Reauthorize"`) {
		t.Fatal("the Active row has no Reauthorize link")
	}
	// The grid fragment answers the same rows for AJAX reloads.
	if frag := h.get("admin/admin/integration/grid/limit/30/").body; strings.Contains(frag, "<html") || strings.Count(frag, `<td class="col-name">`) != 30 {
		t.Fatal("the grid fragment is not the 30 rows alone")
	}
}
