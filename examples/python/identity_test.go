package python_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPythonIdentityPage checks thirdparty.py's identity link page: a
// sign-in form that sends the browser back to success_call_back.
func TestPythonIdentityPage(t *testing.T) {
	python := lookPython(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "thirdparty.py", "--listen", "127.0.0.1:0", "--wait", "30")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatal("no first line from thirdparty.py")
	}
	endpoint, ok := strings.CutPrefix(lines.Text(), "endpoint listening on ")
	if !ok {
		t.Fatalf("first line = %q", lines.Text())
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	const callback = "http://127.0.0.1:1/admin/admin/integration/loginSuccessCallback/"
	q := url.Values{"oauth_consumer_key": {`k"><b>`}, "success_call_back": {callback}}
	resp, err := client.Get(endpoint + "identity?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `id="tp-signin-form"`) || strings.Contains(string(body), `k"><b>`) {
		t.Fatalf("GET identity = %d %s", resp.StatusCode, body)
	}
	tests := []struct {
		name     string
		form     url.Values
		status   int
		location string
	}{
		{"signed in", url.Values{"oauth_consumer_key": {"k"}, "success_call_back": {callback}, "email": {"a@b.example"}}, 303, callback},
		{"no email", url.Values{"oauth_consumer_key": {"k"}, "success_call_back": {callback}}, 400, ""},
		{"relative callback", url.Values{"oauth_consumer_key": {"k"}, "success_call_back": {"/x"}, "email": {"a"}}, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.PostForm(endpoint+"identity", tt.form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("POST identity = %d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
}
