package emulator_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestBrokenBodies sends bodies that end before they should, over a raw
// connection: a malformed chunk, and fewer bytes than Content-Length. The
// client's fault is a 400, never a 500.
func TestBrokenBodies(t *testing.T) {
	h := newEmuHarness(t, nil)
	addr := strings.TrimPrefix(h.srv.URL, "http://")
	for _, path := range []string{"/rest/V1/customers", "/oauth/token/request", "/rest/V1/integration/admin/token"} {
		ct := "application/json"
		if strings.HasPrefix(path, "/oauth") {
			ct = "application/x-www-form-urlencoded"
		}
		for name, raw := range map[string]string{
			"malformed chunk": "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + ct + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
			"short body":      "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + ct + "\r\nContent-Length: 100\r\n\r\n{\"a\":",
		} {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(c, raw); err != nil {
				t.Fatal(err)
			}
			_ = c.(*net.TCPConn).CloseWrite()
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				c.Close()
				t.Fatalf("%s %s: %v", path, name, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			c.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s with a %s = %d %s, want 400", path, name, resp.StatusCode, body)
			}
		}
	}
}
