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
			rows := list[len(list)-limit:]
			for b.Loop() {
				if err := bareGrid.Execute(io.Discard, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bareGrid is the grid's rows with nothing but html/template.
var bareGrid = template.Must(template.New("rows").Parse(`<table>{{range .}}<tr><td class="col-name">{{.Name}}{{if .NotSecure}}<span class="security-notice"><span>Integration not secure</span></span>{{end}}</td>` +
	`<td class="col-status">{{.Status}}</td><td class="col-activate"><a href="javascript:void(0);" data-row-id="{{.ID}}">Activate</a></td>` +
	`<td class="col-edit"><button id="edit" class="action edit"></button></td><td class="col-delete"><button id="delete" class="action delete"></button></td></tr>{{end}}</table>`))
