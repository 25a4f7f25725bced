package tour

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tourTimeout bounds the whole tour: two `go run` compilations on a busy
// machine with two cores, the handshakes and a dozen curl calls.
const tourTimeout = 5 * time.Minute

// tourPorts are the addresses the tour uses; the test moves each to a free
// port so that it can run beside anything listening on them.
var tourPorts = []string{"127.0.0.1:8080", "127.0.0.1:9000", "127.0.0.1:9001"}

// outputs are what the tour's commands print, each of which the README
// shows (so the test also fails when the README's output drifts), with how
// many times each must appear in the output at least.
var outputs = []struct {
	text string
	n    int
}{
	{`{"status":"ok"}`, 1},
	{`{"id":1,"name":"connector","email":"","endpoint":"http://127.0.0.1:`, 1},
	{`"status":0,"setup_type":0,"all_resources":true,"resources":[],"consumer_id":1,`, 1},
	{`{"oauth_consumer_key":"`, 1},
	{"credential post received: consumer key ", 2},
	{"handshake complete: access token issued, the integration is Active", 1},
	{"handshake complete: access token issued", 2},
	{`GET rest/V1/store/storeConfigs: 200 {"message":"magekit emulator: no fixture is set for GET \/V1\/store\/storeConfigs"}`, 2},
	{`{"consumer_key":"`, 1},
	{`{"sku":"24-MB01","name":"Joust Duffle Bag"}`, 1},
	{`{"items":[{"sku":"24-MB01"}],"total_count":1}`, 1},
	{`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"searchCriteria"}}`, 1},
	{`{"message":"The signature is invalid. Verify and try again."}`, 1},
	{`"path":"/rest/V1/products/24-MB01","query":"","route":"/V1/products/:sku"`, 1},
	{`"who":"guest","outcome":"auth_failed","status":401,"message":"The signature is invalid. Verify and try again."`, 1},
	{`%26oauth_token%3DREDACTED%26oauth_version%3D1.0`, 1},
}

func TestTour(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "python3", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the README tour needs %s, and CI=true requires the tour to run: %v", tool, err)
			}
			t.Skipf("the README tour needs %s: %v", tool, err)
		}
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	section, err := tourSection(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	blocks := shellBlocks(section)
	if len(blocks) < 5 {
		t.Fatalf("the tour has %d sh blocks, want the whole tour (at least 5)", len(blocks))
	}
	for _, o := range outputs {
		if !strings.Contains(section, o.text) {
			t.Errorf("the README's tour no longer shows %s", o.text)
		}
	}

	script := "set -euo pipefail\n" + strings.Join(blocks, "\n")
	for _, addr := range tourPorts {
		if !strings.Contains(script, addr) {
			t.Fatalf("the tour no longer uses %s; update tourPorts", addr)
		}
		script = strings.ReplaceAll(script, addr, freeAddr(t))
	}
	out := runTour(t, root, script)
	for _, o := range outputs {
		if got := strings.Count(out, o.text); got < o.n {
			t.Errorf("the tour printed %s %d times, want at least %d", o.text, got, o.n)
		}
	}
	if t.Failed() {
		t.Logf("the tour's script:\n%s\nits output:\n%s", script, out)
	}
}

// runTour runs script with bash in dir, in a process group of its own that
// is killed afterwards (the emulator the tour leaves running, and anything
// else), and returns what it printed on stdout and stderr.
func runTour(t *testing.T, dir, script string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), tourTimeout)
	defer cancel()
	// A file, not a pipe: the emulator left in the background keeps its
	// copy of stdout open after bash exits.
	f, err := os.CreateTemp(t.TempDir(), "tour-output")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	defer killGroup(pgid)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		killGroup(pgid)
		<-done
		err = fmt.Errorf("still running after %v", tourTimeout)
	}
	killGroup(pgid)
	b, rerr := os.ReadFile(f.Name())
	if rerr != nil {
		t.Fatal(rerr)
	}
	if err != nil {
		t.Fatalf("the tour failed: %v\nscript:\n%s\noutput:\n%s", err, script, b)
	}
	return string(b)
}

// killGroup ends the process group pgid: SIGTERM, which lets the emulator
// close its store, then SIGKILL for whatever is left after a moment.
func killGroup(pgid int) {
	if syscall.Kill(-pgid, syscall.SIGTERM) != nil {
		return // the group is gone
	}
	for range 50 {
		time.Sleep(100 * time.Millisecond)
		if syscall.Kill(-pgid, 0) != nil {
			return
		}
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// tourSection returns the README's "Five-minute tour" section.
func tourSection(readme string) (string, error) {
	const heading = "\n## Five-minute tour\n"
	i := strings.Index(readme, heading)
	if i < 0 {
		return "", errors.New("README.md has no \"## Five-minute tour\" section")
	}
	s := readme[i+len(heading):]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s, nil
}

var shBlock = regexp.MustCompile("(?ms)^```sh\n(.*?)^```$")

// shellBlocks returns the contents of the ```sh blocks of markdown, in
// order.
func shellBlocks(markdown string) []string {
	var blocks []string
	for _, m := range shBlock.FindAllStringSubmatch(markdown, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// freeAddr returns a loopback address with a port free at the time of the
// call.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
