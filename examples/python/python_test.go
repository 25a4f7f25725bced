// Package python_test runs thirdparty.py, a third party written with
// Python's standard library only, against the emulator: the handshake and
// a signed call by a client that shares no code with magekit.
package python_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/webapi"
)

// lookPython returns the path of python3; without it the test is skipped,
// or fails under CI=true, where the interop tests must run.
func lookPython(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 not found, and CI=true requires this interop test")
		}
		t.Skip("python3 not found")
	}
	return python
}

func TestPythonThirdParty(t *testing.T) {
	python := lookPython(t)
	srv := integrationtest.NewServer(t, integrationtest.WithFixture(webapi.Fixture{
		Method: "GET", URL: "/V1/store/storeConfigs", Body: json.RawMessage(`[{"id":1,"code":"default"}]`),
	}))

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// The call's query has what a naive signer gets wrong against Magento:
	// a '+' (a plus sign, not a space), a piece without '=' (not signed), a
	// duplicate (the later one signed) and names with brackets.
	const call = "rest/V1/store/storeConfigs?q=a+b&flag&storeCodes[]=default&x=1&x=2"
	cmd := exec.CommandContext(ctx, python, "thirdparty.py", "--listen", "127.0.0.1:0", "--wait", "30", "--call", call)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		cmd.Wait()
		t.Fatalf("no first line from thirdparty.py; stderr: %s", stderr.String())
	}
	endpoint, ok := strings.CutPrefix(lines.Text(), "endpoint listening on ")
	if !ok {
		t.Fatalf("first line = %q, want endpoint listening on URL", lines.Text())
	}

	in := srv.CreateIntegration(t, integration.Integration{
		Name: "python", AllResources: true, Endpoint: endpoint, IdentityLinkURL: endpoint + "link",
	})
	if status, body := srv.AdminDo(t, "POST", fmt.Sprintf("/rest/V1/integrations/%d/activate", in.ID), ""); status != 200 {
		t.Fatalf("activate = %d %s", status, body)
	}
	var out []string
	for lines.Scan() {
		out = append(out, lines.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("thirdparty.py: %v\nstdout: %s\nstderr: %s", err, strings.Join(out, "\n"), stderr.String())
	}
	want := []string{
		"credential post received: consumer key ",
		"handshake complete: access token issued",
		"GET " + call + `: 200 [{"id":1,"code":"default"}]`,
	}
	if len(out) != len(want) {
		t.Fatalf("thirdparty.py printed %q, want lines starting %q", out, want)
	}
	for i := range want {
		if !strings.HasPrefix(out[i], want[i]) {
			t.Errorf("line %d = %q, want it to start %q", i+2, out[i], want[i])
		}
	}
	if got := srv.Integration(t, "python"); got.Status != integration.StatusActive {
		t.Errorf("integration status = %d after the handshake, want Active", got.Status)
	}
	status, body := srv.AdminDo(t, "GET", fmt.Sprintf("/rest/V1/integrations/%d/tokens", in.ID), "")
	var creds map[string]string
	if err := json.Unmarshal(body, &creds); status != 200 || err != nil {
		t.Fatalf("tokens = %d %s", status, body)
	}
	printed := strings.Join(out, "\n") + stderr.String()
	for _, name := range []string{"consumer_secret", "access_token", "access_token_secret"} {
		if strings.Contains(printed, creds[name]) {
			t.Errorf("thirdparty.py printed the %s", name)
		}
	}
	for _, e := range srv.Journal() {
		if e.Status >= 400 {
			t.Errorf("journal: %s %s answered %d %s", e.Method, e.Path, e.Status, e.Message)
		}
	}
}
