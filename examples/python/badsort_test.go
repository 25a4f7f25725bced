package python_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/webapi"
)

// TestPythonBadSort runs thirdparty.py on a search with filter indexes 2
// and 10: sorted naturally, as Magento sorts, it succeeds; with --bad-sort
// (Python's sorted(), byte order) it gets 401, and the emulator's
// diagnosis names byte_order_sort.
func TestPythonBadSort(t *testing.T) {
	python := lookPython(t)
	const call = "rest/V1/products?searchCriteria[filterGroups][0][filters][2][field]=name" +
		"&searchCriteria[filterGroups][0][filters][10][field]=sku"
	for _, badSort := range []bool{false, true} {
		t.Run(fmt.Sprint("bad-sort=", badSort), func(t *testing.T) {
			srv := integrationtest.NewServer(t, integrationtest.WithFixture(webapi.Fixture{
				Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"items":[],"total_count":0}`)}))
			args := []string{"thirdparty.py", "--listen", "127.0.0.1:0", "--wait", "30", "--call", call}
			if badSort {
				args = append(args, "--bad-sort")
			}
			out, err := runPython(t, srv, python, args)
			d, diagnosed := srv.LastDiagnosis()
			last := out[len(out)-1]
			if !badSort {
				if err != nil || !strings.HasPrefix(last, "GET "+call+": 200 ") || diagnosed {
					t.Errorf("thirdparty.py: %v, last line %q, diagnosis %+v; want 200", err, last, d)
				}
				return
			}
			if err == nil || !strings.HasPrefix(last, "GET "+call+": 401 ") {
				t.Errorf("thirdparty.py --bad-sort: %v, last line %q; want exit 1 after a 401", err, last)
			}
			if !diagnosed || d.Rule != signature.RuleByteOrderSort {
				t.Errorf("diagnosis = %+v, %v; want %s", d, diagnosed, signature.RuleByteOrderSort)
			}
		})
	}
}

// runPython starts thirdparty.py with args, activates an integration whose
// endpoint is the one it prints, and returns every line it printed and its
// exit error.
func runPython(t *testing.T, srv *integrationtest.Server, python string, args []string) ([]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, args...)
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
	out := []string{lines.Text()}
	endpoint, ok := strings.CutPrefix(lines.Text(), "endpoint listening on ")
	if !ok {
		t.Fatalf("first line = %q, want endpoint listening on URL", lines.Text())
	}
	in := srv.CreateIntegration(t, integration.Integration{Name: "python", AllResources: true, Endpoint: endpoint, IdentityLinkURL: endpoint + "link"})
	if status, body := srv.AdminDo(t, "POST", fmt.Sprintf("/rest/V1/integrations/%d/activate", in.ID), ""); status != 200 {
		t.Fatalf("activate = %d %s", status, body)
	}
	for lines.Scan() {
		out = append(out, lines.Text())
	}
	err = cmd.Wait()
	if stderr.Len() > 0 {
		t.Logf("thirdparty.py stderr: %s", stderr.String())
	}
	return out, err
}
