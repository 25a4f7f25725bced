package main

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestTimeouts checks that the server closes a connection that trickles
// its body and one that idles after a request, within the timeouts set.
func TestTimeouts(t *testing.T) {
	e := start(t, "-read-timeout", "300ms", "-idle-timeout", "300ms")
	addr := strings.TrimSuffix(strings.TrimPrefix(e.base, "http://"), "/")

	closedWithin := func(name string, c net.Conn, d time.Duration) {
		t.Helper()
		_ = c.SetReadDeadline(time.Now().Add(d))
		if _, err := io.Copy(io.Discard, c); err != nil {
			t.Errorf("%s: the connection was still open after %v: %v", name, d, err)
		}
	}

	// A body that never arrives whole.
	trickle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer trickle.Close()
	if _, err := io.WriteString(trickle, "POST /rest/V1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"); err != nil {
		t.Fatal(err)
	}
	closedWithin("trickling body", trickle, 5*time.Second)

	// A keep-alive connection left idle after one request.
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if _, err := io.WriteString(idle, "GET /rest/V1/emulator/health HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(idle).ReadString('\n')
	if err != nil || !strings.Contains(line, "200") {
		t.Fatalf("health over a raw connection = %q, %v", line, err)
	}
	closedWithin("idle keep-alive", idle, 5*time.Second)
}
