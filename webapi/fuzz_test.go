package webapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzServe feeds arbitrary paths, Accept and Content-Type headers and
// bodies through the path processor, the router, the renderer choice and
// the body decoders: the Server never panics and answers only Magento's
// statuses, with a JSON or XML body.
func FuzzServe(f *testing.F) {
	f.Add("/rest/V1/guest-carts", "application/json", "application/json", `{"a":1}`)
	f.Add("/rest/default/V1/guest-carts/", "text/html, application/xml;q=0.9", "text/xml", `<r><a>1</a><a>2</a></r>`)
	f.Add("/index.php/rest//all/V1/products/a%2Fb/media", "*/*;q=x, text/*", "application/json; charset=UTF-8", `[1]`)
	f.Add("/rest/V1/products/:sku", "", "", "")
	e := newEnv(f, nil)
	f.Fuzz(func(t *testing.T, path, accept, contentType, body string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		p, err := url.PathUnescape(path)
		if err != nil {
			return
		}
		r := &http.Request{Method: "POST", URL: &url.URL{Path: p, RawPath: path}, Host: "example.com", RequestURI: path,
			Header: http.Header{"Accept": {accept}, "Content-Type": {contentType}}, Body: http.NoBody}
		if body != "" {
			r.Body = httpBody(body)
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		switch w.Code {
		case 200, 400, 401, 404, 405, 406:
		default:
			t.Fatalf("POST %q = %d %s", path, w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/xml") {
			t.Fatalf("POST %q: Content-Type %q", path, ct)
		}
	})
}

func httpBody(s string) *readCloser { return &readCloser{strings.NewReader(s)} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
