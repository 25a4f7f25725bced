package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/twofactor"
)

// lines is a stdout that signals its first line.
type lines struct {
	mu    sync.Mutex
	b     bytes.Buffer
	first chan string
	sent  bool
}

func newLines() *lines { return &lines{first: make(chan string, 1)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Write(p)
	if line, _, ok := strings.Cut(l.b.String(), "\n"); ok && !l.sent {
		l.sent = true
		l.first <- line
	}
	return len(p), nil
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// syncBuffer is a stderr written by several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is one run() in progress.
type running struct {
	t      *testing.T
	base   string // the base URL of the first line
	stdout *lines
	stderr *syncBuffer
	stop   context.CancelFunc
	done   chan error
	token  string
}

// start runs the emulator with args (-addr 127.0.0.1:0 added) until the
// test ends or stopAndWait is called, and waits for its first line.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	e := &running{t: t, stdout: newLines(), stderr: &syncBuffer{}, stop: cancel, done: make(chan error, 1)}
	go func() {
		e.done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-log-level", "debug"}, args...), e.stdout, e.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		<-e.done
	})
	select {
	case line := <-e.stdout.first:
		base, ok := strings.CutPrefix(line, "listening on ")
		if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/") {
			t.Fatalf("first line %q, want \"listening on http://127.0.0.1:PORT/\"", line)
		}
		e.base = base
	case err := <-e.done:
		e.done <- err
		t.Fatalf("run returned before listening: %v\nstderr: %s", err, e.stderr)
	case <-time.After(10 * time.Second):
		t.Fatal("no first line after 10 s")
	}
	return e
}

// stopAndWait cancels run's context, as SIGINT does, and returns its error.
func (e *running) stopAndWait() error {
	e.t.Helper()
	e.stop()
	select {
	case err := <-e.done:
		e.done <- err // for the cleanup
		return err
	case <-time.After(10 * time.Second):
		e.t.Fatal("run did not return 10 s after the signal")
		return nil
	}
}

// call sends a JSON request and returns the status and body.
func (e *running) call(c *http.Client, method, path, token, body string) (int, string) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.base+strings.TrimPrefix(path, "/"), rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// admin sends an admin call that must answer 200 and decodes it into v.
func (e *running) admin(method, path, body string, v any) {
	e.t.Helper()
	if e.token == "" {
		status, b := e.call(nil, "POST", "rest/V1/integration/admin/token", "", `{"username":"admin","password":"magento123"}`)
		if status != 200 || json.Unmarshal([]byte(b), &e.token) != nil {
			e.t.Fatalf("admin token: %d %s", status, b)
		}
	}
	status, b := e.call(nil, method, path, e.token, body)
	if status != 200 {
		e.t.Fatalf("%s %s = %d %s", method, path, status, b)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(b), v); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// thirdParty is the integration's side: its endpoint records the
// credential POST.
type thirdParty struct {
	srv   *httptest.Server
	posts chan url.Values
}

func newThirdParty(t *testing.T) *thirdParty {
	t.Helper()
	p := &thirdParty{posts: make(chan url.Values, 4)}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err == nil && r.URL.Path == "/endpoint" {
			p.posts <- r.PostForm
		}
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// signed returns a client signing with the four credentials.
func signed(key, secret, token, tokenSecret string) *http.Client {
	cfg := &oauth1.Config{ConsumerKey: key, ConsumerSecret: secret, Signer: &oauth1.HMAC256Signer{ConsumerSecret: secret}}
	return cfg.Client(context.Background(), oauth1.NewToken(token, tokenSecret))
}

// TestRun is the README's tour: start, admin token, create an integration
// with an endpoint, activate it, complete the handshake with
// dghubble/oauth1, call a route with its fixture, read the journal, stop.
func TestRun(t *testing.T) {
	fixtures := t.TempDir()
	if err := os.WriteFile(filepath.Join(fixtures, "products.json"),
		[]byte(`{"fixture":{"method":"GET","url":"/V1/products","body":{"items":[{"sku":"24-MB01"}],"total_count":1}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e := start(t, "-fixtures", fixtures)
	if !strings.Contains(e.stdout.String(), "loaded 1 fixtures from "+fixtures) {
		t.Errorf("stdout %q does not report the fixtures", e.stdout.String())
	}
	app := newThirdParty(t)

	var in struct{ ID, Status int64 }
	e.admin("POST", "rest/V1/integrations", fmt.Sprintf(`{"integration":{"name":"ERP","resources":["Magento_Catalog::products"],"endpoint":%q,"identity_link_url":%q}}`,
		app.srv.URL+"/endpoint", app.srv.URL+"/link"), &in)
	var act struct{ OAuthConsumerKey, IdentityLinkURL string }
	e.admin("POST", fmt.Sprintf("rest/V1/integrations/%d/activate", in.ID), "", &act)

	var post url.Values
	select {
	case post = <-app.posts:
	case <-time.After(5 * time.Second):
		t.Fatal("no credential POST")
	}
	if post.Get("store_base_url") != e.base || post.Get("oauth_consumer_key") == "" {
		t.Errorf("credential POST %v", post)
	}
	key, secret := post.Get("oauth_consumer_key"), post.Get("oauth_consumer_secret")
	cfg := &oauth1.Config{
		ConsumerKey: key, ConsumerSecret: secret, CallbackURL: "oob",
		Endpoint:   oauth1.Endpoint{RequestTokenURL: e.base + "oauth/token/request", AccessTokenURL: e.base + "oauth/token/access"},
		Signer:     &oauth1.HMAC256Signer{ConsumerSecret: secret},
		HTTPClient: &http.Client{Transport: integrationtest.ConfirmCallback(nil)},
	}
	reqToken, reqSecret, err := cfg.RequestToken()
	if err != nil {
		t.Fatalf("request token: %v", err)
	}
	accessToken, accessSecret, err := cfg.AccessToken(reqToken, reqSecret, post.Get("oauth_verifier"))
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	status, body := e.call(signed(key, secret, accessToken, accessSecret), "GET", "rest/V1/products?searchCriteria[pageSize]=10", "", "")
	if status != 200 || body != `{"items":[{"sku":"24-MB01"}],"total_count":1}` {
		t.Errorf("signed GET /V1/products = %d %s", status, body)
	}
	var tokens map[string]string
	e.admin("GET", fmt.Sprintf("rest/V1/integrations/%d/tokens", in.ID), "", &tokens)
	if tokens["access_token"] != accessToken || tokens["consumer_key"] != key {
		t.Errorf("tokens = %v", tokens)
	}

	var journal []struct {
		Method, Path, Who, Outcome string
		IntegrationID              int64 `json:"integration_id"`
		Status                     int
	}
	e.admin("GET", "rest/V1/emulator/journal", "", &journal)
	var seen []string
	for _, j := range journal {
		seen = append(seen, fmt.Sprintf("%s %s %s %s %d", j.Method, j.Path, j.Who, j.Outcome, j.Status))
	}
	want := []string{
		"POST /rest/V1/integration/admin/token guest handler 200",
		"POST /rest/V1/integrations admin handler 200",
		"POST /rest/V1/integrations/1/activate admin handler 200",
		"POST /oauth/token/request guest oauth_token 200",
		"POST /oauth/token/access guest oauth_token 200",
		"GET /rest/V1/products integration fixture 200",
		"GET /rest/V1/integrations/1/tokens admin handler 200",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("journal:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}

	if err := e.stopAndWait(); err != nil {
		t.Errorf("run after the signal = %v, want nil (exit 0)\nstderr: %s", err, e.stderr)
	}
	if !strings.Contains(e.stderr.String(), "emulator stopped") {
		t.Errorf("stderr has no stop record: %s", e.stderr)
	}
	if strings.Contains(e.stderr.String(), secret) || strings.Contains(e.stderr.String(), accessSecret) {
		t.Error("a secret was logged")
	}
}

// TestShutdownDrains stops the emulator while an activation waits for a
// slow endpoint: the activation is answered, then run returns nil.
func TestShutdownDrains(t *testing.T) {
	e := start(t)
	arrived, release := make(chan struct{}), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
	}))
	t.Cleanup(slow.Close)
	e.admin("POST", "rest/V1/integrations", fmt.Sprintf(`{"integration":{"name":"Slow","endpoint":%q,"identity_link_url":"https://app.example/"}}`, slow.URL), nil)

	answered := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", e.base+"rest/V1/integrations/1/activate", nil)
		req.Header.Set("Authorization", "Bearer "+e.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-arrived
	e.stop()
	time.Sleep(100 * time.Millisecond) // let Shutdown start
	close(release)
	if s := <-answered; s != 200 {
		t.Errorf("activation in flight during shutdown = %d, want 200", s)
	}
	if err := e.stopAndWait(); err != nil {
		t.Errorf("run = %v, want nil", err)
	}
}

// TestPersistence keeps integrations in SQLite across a restart: the
// credentials of a direct activation still sign calls after it.
func TestPersistence(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "magento.db")
	e := start(t, "-store", dsn)
	e.admin("POST", "rest/V1/integrations", `{"integration":{"name":"ERP","all_resources":true}}`, nil)
	var c map[string]string
	e.admin("POST", "rest/V1/integrations/1/activate", "", &c)
	client := signed(c["consumer_key"], c["consumer_secret"], c["access_token"], c["access_token_secret"])
	if status, body := e.call(client, "GET", "rest/V1/store/websites", "", ""); status != 200 {
		t.Fatalf("signed GET before the restart = %d %s", status, body)
	}
	if err := e.stopAndWait(); err != nil {
		t.Fatalf("stop: %v", err)
	}

	e2 := start(t, "-store", dsn)
	if status, body := e2.call(client, "GET", "rest/V1/store/websites", "", ""); status != 200 {
		t.Errorf("signed GET after the restart = %d %s, want 200", status, body)
	}
	var list []struct{ Name string }
	e2.admin("GET", "rest/V1/integrations", "", &list)
	if len(list) != 1 || list[0].Name != "ERP" {
		t.Errorf("integrations after the restart = %+v", list)
	}
}

// TestConfigDir provisions integration XML at start and prints the result
// after the first line.
func TestConfigDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "Acme_Sync", "etc"), 0o700); err != nil {
		t.Fatal(err)
	}
	xml := `<config><integration name="AcmeSync"><email>ops@acme.example</email>` +
		`<resources><resource name="Magento_Sales::sales_order"/></resources></integration></config>`
	if err := os.WriteFile(filepath.Join(dir, "Acme_Sync", "etc", "integration.xml"), []byte(xml), 0o600); err != nil {
		t.Fatal(err)
	}
	e := start(t, "-config", dir, "-profile", "2.4.3", "-log-format", "json")
	out := e.stdout.String()
	if !strings.Contains(out, "provisioned from "+dir+":\n\"AcmeSync\": created (id 1)") {
		t.Errorf("stdout = %q", out)
	}
	var list []struct {
		Name      string
		SetupType int `json:"setup_type"`
	}
	e.admin("GET", "rest/V1/integrations", "", &list)
	if len(list) != 1 || list[0].Name != "AcmeSync" || list[0].SetupType != 1 {
		t.Errorf("integrations = %+v", list)
	}
	if !strings.Contains(e.stderr.String(), `"msg":"emulator started"`) || !strings.Contains(e.stderr.String(), `"profile":"2.4.3"`) {
		t.Errorf("stderr is not JSON logs with the profile: %s", e.stderr)
	}
}

// TestBaseURLFlag announces a given base URL.
func TestBaseURLFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	out, done := newLines(), make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-base-url", "http://emulator.test:8080/shop"}, out, io.Discard)
	}()
	select {
	case line := <-out.first:
		if line != "listening on http://emulator.test:8080/shop/" {
			t.Errorf("first line %q", line)
		}
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run = %v", err)
	}
}

// TestRunErrors checks the flag and start-up errors: usage errors exit 2,
// others 1, and none prints the first line.
func TestRunErrors(t *testing.T) {
	badFixtures := t.TempDir()
	if err := os.WriteFile(filepath.Join(badFixtures, "x.json"), []byte(`{"fixture":{"method":"GET","url":"/V1/nothing"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	badConfig := t.TempDir()
	if err := os.WriteFile(filepath.Join(badConfig, "integration.xml"), []byte(`<config><integration/></config>`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"unknown flag", []string{"-nope"}, true, "flag provided but not defined"},
		{"argument", []string{"extra"}, true, "unexpected arguments"},
		{"profile", []string{"-profile", "2.4.8"}, true, "unknown profile"},
		{"log level", []string{"-log-level", "loud"}, true, "-log-level"},
		{"log format", []string{"-log-format", "xml"}, true, "-log-format"},
		{"store", []string{"-store", "postgres"}, true, "-store"},
		{"base url", []string{"-base-url", "emulator:8080"}, true, "-base-url"},
		{"empty admin", []string{"-admin-user", ""}, true, "-admin-user"},
		{"store scheme", []string{"-store", "postgres:x"}, false, "-store"},
		{"sqlite dir missing", []string{"-store", "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")}, false, "-store"},
		{"address", []string{"-addr", "256.0.0.1:0"}, false, "listen"},
		{"fixtures", []string{"-fixtures", badFixtures}, false, "x.json"},
		{"fixtures dir", []string{"-fixtures", filepath.Join(badFixtures, "missing")}, false, "-fixtures"},
		{"config dir", []string{"-config", filepath.Join(badFixtures, "x.json")}, false, "not a directory"},
		{"config", []string{"-config", badConfig}, false, "-config"},
		{"base url query", []string{"-base-url", "http://h/?x=1"}, false, "base URL"},
		{"store code", []string{"-store-codes", "default,fr-fr"}, true, "-store-codes"},
		{"admin store code", []string{"-store-codes", "admin"}, true, "-store-codes"},
		{"empty store codes", []string{"-store-codes", ""}, true, "-store-codes"},
		{"unmatched", []string{"-unmatched", "maybe"}, true, "-unmatched"},
		{"journal size", []string{"-journal-size", "0"}, true, "-journal-size"},
		{"journal bytes", []string{"-journal-bytes", "-1"}, true, "-journal-bytes"},
		{"webapi dir", []string{"-webapi", filepath.Join(badFixtures, "missing")}, false, "-webapi"},
		{"seed file", []string{"-seed", filepath.Join(badFixtures, "missing.json")}, false, "-seed"},
		{"blank JWT secret", []string{"-jwt-secret-env-test", "   "}, true, envJWTSecret},
		{"short JWT secret", []string{"-jwt-secret-env-test", "short"}, true, envJWTSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := tt.args
			if len(args) == 2 && args[0] == "-jwt-secret-env-test" {
				t.Setenv(envJWTSecret, args[1])
				args = nil
			}
			err := run(t.Context(), append([]string{"-addr", "127.0.0.1:0"}, args...), &out, &errOut)
			if err == nil {
				t.Fatal("run succeeded")
			}
			if got := errors.As(err, new(usageError)); got != tt.usage {
				t.Errorf("run = %v, usage error %v, want %v", err, got, tt.usage)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run = %v, want it to mention %q", err, tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q, want nothing", out.String())
			}
		})
	}
	if err := run(t.Context(), []string{"-h"}, io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("run -h = %v, want flag.ErrHelp (exit 0)", err)
	}
}

// TestSharedDatabase runs two emulators on one SQLite file with the same
// MAGEKIT_JWT_SECRET, as behind a load balancer: an integration created
// and activated through one is served by the other, and an admin token
// from one is accepted by the other. Without the shared secret it is not.
func TestSharedDatabase(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "shared.db")
	t.Setenv(envJWTSecret, "a secret both emulators know, 32+ bytes long")
	a, b := start(t, "-store", dsn), start(t, "-store", dsn)
	a.admin("POST", "rest/V1/integrations", `{"integration":{"name":"ERP","all_resources":true}}`, nil)
	var c map[string]string
	a.admin("POST", "rest/V1/integrations/1/activate", "", &c)
	client := signed(c["consumer_key"], c["consumer_secret"], c["access_token"], c["access_token_secret"])
	if status, body := b.call(client, "GET", "rest/V1/store/websites", "", ""); status != 200 {
		t.Errorf("signed GET on the other emulator = %d %s, want 200", status, body)
	}
	if status, body := b.call(nil, "GET", "rest/V1/integrations/1", a.token, ""); status != 200 {
		t.Errorf("the other emulator with the first one's admin token = %d %s, want 200", status, body)
	}

	t.Setenv(envJWTSecret, "")
	other := start(t, "-store", dsn)
	if status, _ := other.call(nil, "GET", "rest/V1/integrations/1", a.token, ""); status != 401 {
		t.Errorf("an emulator with its own random secret accepted another's admin token: %d", status)
	}
}

// TestStoreCodesAndTwoFactor runs the emulator with -store-codes and
// -two-factor (docs/magento-fidelity.md §1, §5): an unknown store code
// answers 400, the admin token route sends the admin to the provider
// routes, and the Google route issues a token for the code of the secret
// in MAGEKIT_ADMIN_TFA_SECRET.
func TestStoreCodesAndTwoFactor(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	t.Setenv(envAdminTFASecret, secret)
	e := start(t, "-store-codes", "default, de", "-two-factor")
	for path, want := range map[string]int{
		"rest/de/V1/directory/currency":      200,
		"rest/default/V1/directory/currency": 200,
		"rest/fr/V1/directory/currency":      400,
	} {
		if status, body := e.call(nil, "GET", path, "", ""); status != want {
			t.Errorf("GET %s = %d %s, want %d", path, status, body, want)
		}
	}
	creds := `{"username":"admin","password":"magento123"`
	status, body := e.call(nil, "POST", "rest/V1/integration/admin/token", "", creds+"}")
	if want := `{"message":"Please use the 2fa provider-specific endpoints to obtain a token.","parameters":{"active_providers":["google"]}}`; status != 400 || body != want {
		t.Errorf("admin token = %d %s, want 400 %s", status, body, want)
	}
	key, err := twofactor.DecodeSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	status, body = e.call(nil, "POST", "rest/V1/tfa/provider/google/authenticate", "", creds+`,"otp":"`+twofactor.TOTP(key, time.Now())+`"}`)
	var token string
	if status != 200 || json.Unmarshal([]byte(body), &token) != nil {
		t.Fatalf("google authenticate = %d %s", status, body)
	}
	if status, body := e.call(nil, "GET", "rest/V1/emulator/journal", token, ""); status != 200 {
		t.Errorf("control route with the Google token = %d %s", status, body)
	}
	if strings.Contains(e.stderr.String(), secret) {
		t.Error("the logs hold the Google secret")
	}
}

// TestAdminSecretNeedsTwoFactor checks that MAGEKIT_ADMIN_TFA_SECRET is
// refused without -two-factor, and when it is not Base32.
func TestAdminSecretNeedsTwoFactor(t *testing.T) {
	for _, tt := range []struct {
		secret string
		args   []string
	}{
		{"JBSWY3DPEHPK3PXP", nil},
		{"not base32", []string{"-two-factor"}},
	} {
		t.Setenv(envAdminTFASecret, tt.secret)
		err := run(t.Context(), append([]string{"-addr", "127.0.0.1:0"}, tt.args...), io.Discard, io.Discard)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), envAdminTFASecret) {
			t.Errorf("run %v with secret %q = %v, want a usage error naming %s", tt.args, tt.secret, err, envAdminTFASecret)
		}
		if strings.Contains(fmt.Sprint(err), tt.secret) {
			t.Errorf("the error holds the secret: %v", err)
		}
	}
}
