//go:build exhaustion

package main

// The exhaustion test runs the emulator binary as its own process on
// loopback and measures its peak resident memory (VmHWM) and current
// resident memory (VmRSS) from /proc while hostile clients try to grow it.
// It is bounded in count and time and stops by itself:
//
//	go test -tags exhaustion -run Exhaustion -v ./examples/emulator/

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// procKB reads a "Name:   N kB" line of /proc/<pid>/status.
func procKB(t *testing.T, pid int, name string) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), name+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", name, pid)
	return 0
}

func TestExhaustion(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "emulator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-idle-timeout", "2s", "-read-timeout", "3s", "-log-level", "error")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	pid := cmd.Process.Pid
	start := procKB(t, pid, "VmRSS")
	t.Logf("RSS at start: %d MiB", start>>10)

	// Four concurrent 8 MB bodies of two million empty XML elements.
	xmlBody := "<a>" + strings.Repeat("<b/>", (8<<20-7)/4) + "</a>"
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(base+"rest/V1/integration/admin/token", "application/xml", strings.NewReader(xmlBody))
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	peak := procKB(t, pid, "VmHWM")
	t.Logf("peak RSS after four concurrent 8 MB XML bodies: %d MiB", peak>>10)
	if peak > 256<<10 {
		t.Errorf("peak RSS %d MiB, want under 256 MiB", peak>>10)
	}

	// Sixty form bodies with 900 KB nonces to /oauth/token/request.
	before := procKB(t, pid, "VmRSS")
	nonce := strings.Repeat("n", 900<<10)
	for i := range 60 {
		body := fmt.Sprintf("oauth_consumer_key=k&oauth_nonce=%s%d&oauth_timestamp=%d&oauth_signature_method=HMAC-SHA256&oauth_version=1.0&oauth_signature=x", nonce, i, time.Now().Unix())
		resp, err := http.Post(base+"oauth/token/request", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	after := procKB(t, pid, "VmRSS")
	t.Logf("RSS before / after 60 requests with 900 KB nonces: %d / %d MiB", before>>10, after>>10)
	if after-before > 16<<10 {
		t.Errorf("RSS grew by %d MiB, want under 16 MiB", (after-before)>>10)
	}

	// 500 idle connections are closed by the idle timeout.
	var conns []net.Conn
	for range 500 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	time.Sleep(4 * time.Second) // read-timeout 3s for a connection that sends nothing
	closed := 0
	for _, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); err == io.EOF {
			closed++
		}
		c.Close()
	}
	t.Logf("idle connections closed by the server after 4 s: %d of 500", closed)
	if closed != 500 {
		t.Errorf("%d of 500 idle connections still open", 500-closed)
	}
}
