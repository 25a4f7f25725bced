package admin_test

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/magekit/magekit/integration"
)

// gridBench is a signed-in Admin holding 1,000 integrations.
func gridBench(b *testing.B) (*harness, []*http.Cookie) {
	b.Helper()
	h := newHarness(b)
	for i := range 1000 {
		in := integration.Integration{Name: fmt.Sprintf("Integration %04d", i), AllResources: true}
		if i%3 == 0 {
			in.Endpoint, in.IdentityLinkURL = "http://tp.example/e", "https://tp.example/link"
		}
		if _, err := h.svc.Create(b.Context(), in); err != nil {
			b.Fatal(err)
		}
	}
	h.signIn(h.client, "secret")
	u, _ := url.Parse(h.base + "admin/")
	return h, h.client.Jar.Cookies(u)
}

// BenchmarkGridPage serves the integrations grid page (list, filter,
// sort, page, full layout) for 1,000 integrations, straight to the
// handler; the baseline renders the same rows with a bare html/template.
func BenchmarkGridPage(b *testing.B) {
	h, cookies := gridBench(b)
	for _, limit := range []int{20, 200} {
		path := fmt.Sprintf("/admin/admin/integration/index/limit/%d/sort/name/dir/desc/", limit)
		b.Run(fmt.Sprintf("admin/rows=%d", limit), func(b *testing.B) {
			req := httptest.NewRequest("GET", path, nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			for b.Loop() {
				w := httptest.NewRecorder()
				h.srv.Config.Handler.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
		b.Run(fmt.Sprintf("template/rows=%d", limit), func(b *testing.B) {
			list, err := h.svc.List(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			rows := make([]bareRow, 0, limit)
			for i, in := range list[len(list)-limit:] {
				r := bareRow{ID: in.ID, Name: in.Name, NotSecure: in.NotSecure(), Status: "Inactive", Link: "Activate", Base: h.base + "admin/", Odd: i%2 == 1}
				if in.TokenExchange() {
					r.TokenExchange = 1
				}
				rows = append(rows, r)
			}
			for b.Loop() {
				if err := bareGrid.Execute(io.Discard, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The part of the admin's time spent reading the 1,000 integrations
	// from the store.
	b.Run("service-list", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.svc.List(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// bareRow is what a grid row shows.
type bareRow struct {
	ID                         int64
	Name, Status, Link, Base   string
	NotSecure, Config, Odd     bool
	Reauthorize, TokenExchange int
}

// bareGrid is the grid's rows, the same markup as grid.html, with nothing
// but html/template.
var bareGrid = template.Must(template.New("rows").Parse(`<table><tbody>{{range $r := .}}<tr class="{{if $r.Odd}}odd{{else}}even{{end}}" data-role="row">
  <td class="col-name">{{$r.Name}}{{if $r.NotSecure}}<span class="security-notice"><span>Integration not secure</span></span>{{end}}</td>
  <td class="col-status">{{$r.Status}}</td>
  <td class="col-activate"><a href="javascript:void(0);" title="{{$r.Link}}" data-row-id="{{$r.ID}}" data-row-dialog="permissions" data-row-is-reauthorize="{{$r.Reauthorize}}" data-row-is-token-exchange="{{$r.TokenExchange}}" onclick="integration.popup.show(this);">{{$r.Link}}</a></td>
  <td class="col-edit">{{if $r.Config}}<button id="edit" title="View" type="button" class="action info" data-url="{{$r.Base}}admin/integration/edit/id/{{$r.ID}}/"></button>{{else}}<button id="edit" title="Edit" type="button" class="action edit" data-url="{{$r.Base}}admin/integration/edit/id/{{$r.ID}}/"></button>{{end}}</td>
  <td class="col-delete">{{if $r.Config}}<button id="delete" title="Uninstall the extension to remove this integration" type="button" class="action delete" disabled></button>{{else}}<button id="delete" title="Remove" type="button" class="action delete" data-url="{{$r.Base}}admin/integration/delete/id/{{$r.ID}}/"></button>{{end}}</td>
</tr>
{{end}}</tbody></table>`))
