package emulator_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestMalformedRequests sends a generated table of malformed requests
// (methods, paths, queries, headers, bodies, and raw protocol errors) to
// the whole emulator: none may be answered with a 5xx, since each is the
// client's mistake.
func TestMalformedRequests(t *testing.T) {
	h := newEmuHarness(t, nil)
	admin := "Bearer " + h.adminToken()
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW", "get"}
	paths := []string{
		"/rest/V1/products", "/rest/V1/products/%zz", "/rest//V1//products", "/rest/V1/" + strings.Repeat("a/", 1500),
		"/rest/bogus/V1/products", "/rest/admin/V1/products", "/rest/V1/integrations/abc", "/rest/V1/integrations/99999999999999999999",
		"/oauth/token/request", "/oauth/token/access", "/rest/V1/customers", "/rest/V1/integration/admin/token",
		"/rest/%00/V1/products", "/rest/V1/products?searchCriteria[%zz]=1&searchCriteria[pageSize]=x",
		"/rest/V1/products?searchCriteria=1&searchCriteria[]=2", "/admin/admin/integration/save/", "/rest/V1/emulator/journal?limit=-1",
		"/rest/V1/emulator/fixtures/%zz", "/rest/schema", "/rest/V1/tfa/provider/google/authenticate",
	}
	variants := []struct{ headers, body string }{
		{"", ""},
		{"Authorization: OAuth garbage", ""},
		{"Authorization: Bearer x.y.z", "{"},
		{`Authorization: OAuth oauth_consumer_key="k",oauth_signature="%zz",oauth_nonce="` + strings.Repeat("n", 5000) + `"`, ""},
		{"Content-Type: application/xml", "<a><b>"},
		{"Content-Type: application/json\nAccept: application/xml", "[1,2"},
		{"Content-Type: text/plain", "\x00\xff\xfe"},
		{"Content-Type: application/json; charset=latin1", `{"customer":1}`},
		{"Content-Type: application/x-www-form-urlencoded", "oauth_consumer_key=%zz&&=&oauth_nonce"},
		{"Content-Type: application/json\nAuthorization: " + admin, `{"fixture":{"method":1}}`},
		{"Content-Type: application/json\nAuthorization: " + admin, `{"integration":{"name":["x"]},"config":7}`},
		{"Accept: */*;q=x\nContent-Type: ;;", "{}"},
	}
	n := 0
	for _, m := range methods {
		for _, p := range paths {
			for _, v := range variants {
				n++
				req, err := http.NewRequestWithContext(t.Context(), m, h.srv.URL+p, strings.NewReader(v.body))
				if err != nil {
					continue // a request the client cannot even form
				}
				for _, line := range strings.Split(v.headers, "\n") {
					if name, value, ok := strings.Cut(line, ": "); ok {
						req.Header.Set(name, value)
					}
				}
				resp, err := h.srv.Client().Do(req)
				if err != nil {
					t.Fatalf("%s %.80s: %v", m, p, err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					t.Errorf("%s %.80s [%.60s] %.40q = %d %.200s", m, p, v.headers, v.body, resp.StatusCode, body)
				}
			}
		}
	}

	// Protocol errors, over a raw connection.
	addr := strings.TrimPrefix(h.srv.URL, "http://")
	for _, raw := range []string{
		"GARBAGE\r\n\r\n",
		"GET /rest/V1/products HTTP/9.9\r\nHost: x\r\n\r\n",
		"GET /rest/V1/products HTTP/1.1\r\n\r\n",
		"GET /rest/V1/products HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
		"POST /rest/V1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
		"POST /rest/V1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
		"POST /rest/V1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n",
		"GET /rest/V1/" + strings.Repeat("x", 100<<10) + " HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET http://other.example/rest/V1/products HTTP/1.1\r\nHost: x\r\n\r\n",
	} {
		n++
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(c, raw)
		_ = c.(*net.TCPConn).CloseWrite()
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		c.Close()
		if err != nil {
			continue // the connection was closed without an answer: no 5xx
		}
		// 505 HTTP Version Not Supported is net/http's answer to an
		// unknown protocol version: the client's error, not the server's.
		if resp.StatusCode >= 500 && resp.StatusCode != http.StatusHTTPVersionNotSupported {
			t.Errorf("raw %.60q = %d", raw, resp.StatusCode)
		}
	}
	if n < 300 {
		t.Fatalf("the table has %d cases, want at least 300", n)
	}
	t.Logf("%d malformed requests, no 5xx", n)
}
