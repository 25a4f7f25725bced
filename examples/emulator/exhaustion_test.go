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

// startBinary builds the emulator and runs it with args on a free port;
// it returns the base URL and the process id, and kills the process when
// the test ends.
func startBinary(t *testing.T, args ...string) (string, int) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "emulator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	cmd := exec.CommandContext(ctx, bin, append([]string{"-addr", "127.0.0.1:0", "-log-level", "error"}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); cancel() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "listening on ")), cmd.Process.Pid
}

func TestExhaustion(t *testing.T) {
	base, pid := startBinary(t, "-idle-timeout", "2s", "-read-timeout", "3s")
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
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

// TestExhaustionJournal fills the journal with 10,000 anonymous requests
// that each carry 56 KB of headers and a 16 KB body, the most a journal
// entry keeps of each, and measures the resident memory after them.
func TestExhaustionJournal(t *testing.T) {
	base, pid := startBinary(t)
	start := procKB(t, pid, "VmRSS")
	body := `{"username":"nobody","password":"x","pad":"` + strings.Repeat("p", 16<<10) + `"}`
	pad := strings.Repeat("h", 1000)
	client := &http.Client{}
	for i := range 10_000 {
		req, err := http.NewRequest("POST", base+"rest/V1/integration/admin/token", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		for h := range 56 {
			req.Header.Set(fmt.Sprintf("X-Pad-%02d", h), pad)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	after := procKB(t, pid, "VmRSS")
	t.Logf("RSS before / after 10,000 journaled requests with 56 KB of headers and 16 KB bodies: %d / %d MiB", start>>10, after>>10)
	if after > 256<<10 {
		t.Errorf("RSS %d MiB after filling the journal, want under 256 MiB", after>>10)
	}
}
