package admin_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzAdminRequest sends arbitrary paths, grid parameters and form bodies
// to a signed-in Admin: nothing panics and no client mistake answers 500.
func FuzzAdminRequest(f *testing.F) {
	h := newHarness(f)
	h.signIn(h.client, "secret")
	key := h.key()
	filter := base64.StdEncoding.EncodeToString([]byte("name=a%25&status=1"))
	for _, s := range []struct{ method, path, body string }{
		{"GET", "admin/admin/integration/index/limit/30/page/2/sort/name/dir/desc/filter/" + filter + "/", ""},
		{"GET", "admin/admin/integration/grid/filter/%%%/", ""},
		{"GET", "admin/admin/integration/edit/id/-1/", ""},
		{"GET", "admin/admin/integration/permissionsDialog/id/99999999999999999999/reauthorize/1/", ""},
		{"POST", "admin/admin/integration/save/", "name=x&resource[]=Nope::nope&current_password=secret&all_resources=0"},
		{"POST", "admin/admin/integration/save/", "id=abc&name=x&current_password=secret"},
		{"POST", "admin/admin/system_config/save/section/oauth/", "groups[consumer][fields][post_timeout][value]=-1"},
		{"GET", "admin/admin/system_config/edit/section/../../", ""},
		{"GET", "admin/static/../admin.go", ""},
	} {
		f.Add(s.method, s.path, s.body)
	}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if method != "GET" && method != "POST" {
			method = "GET"
		}
		u, err := url.Parse(h.base + strings.TrimLeft(path, "/"))
		if err != nil || u.Host != strings.TrimSuffix(strings.TrimPrefix(h.base, "http://"), "/") {
			return
		}
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		if method == "POST" {
			form.Set("form_key", key)
		}
		req, err := http.NewRequest(method, u.String(), strings.NewReader(form.Encode()))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		u0, _ := url.Parse(h.base)
		for _, c := range h.client.Jar.Cookies(u0.JoinPath("admin")) {
			req.AddCookie(c)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s %q = %d", method, path, body, resp.StatusCode)
		}
	})
}
