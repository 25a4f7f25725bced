package webapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/webapi"
)

// Known credentials of the test integrations: 32 characters of [0-9a-z].
const (
	adminUser     = "admin"
	adminPassword = "magento123"
	iterations    = 1000 // keeps PBKDF2 cheap in tests
)

// env is a Server wired to the real packages over memstore, behind an
// httptest.Server, with an admin user and an observer that keeps events.
type env struct {
	t        testing.TB
	store    *memstore.Store
	svc      *integration.Service
	provider *oauth.Provider
	settings *settings.Settings
	srv      *webapi.Server
	http     *httptest.Server
	clock    *clock

	mu     sync.Mutex
	events []webapi.Event
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newEnv builds an env; change tweaks the Config before New.
func newEnv(t testing.TB, change func(*webapi.Config)) *env {
	t.Helper()
	st, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: st, settings: settings.New(), clock: &clock{t: time.Now().Truncate(time.Second)}}
	e.svc = integration.NewService(st, integration.Config{Now: e.clock.Now, PostTimeout: e.settings.PostTimeout})
	e.provider = oauth.NewProvider(st, oauth.Config{Now: e.clock.Now, OnAccess: e.svc.OnAccess, ConsumerExpiry: e.settings.ConsumerExpiration})
	users := account.NewMemory()
	pw, err := account.NewPassword(adminPassword, iterations)
	if err != nil {
		t.Fatal(err)
	}
	if err := users.CreateAdmin(t.Context(), &account.AdminUser{Username: adminUser, Password: pw}); err != nil {
		t.Fatal(err)
	}
	cfg := webapi.Config{
		Store: st, Service: e.svc, Provider: e.provider, Users: users, Settings: e.settings,
		PasswordIterations: iterations, Now: e.clock.Now,
		Observer: func(ev webapi.Event) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.events = append(e.events, ev)
		},
	}
	if change != nil {
		change(&cfg)
	}
	if e.srv, err = webapi.New(cfg); err != nil {
		t.Fatal(err)
	}
	e.http = httptest.NewServer(e.srv)
	t.Cleanup(e.http.Close)
	return e
}

// lastEvent returns the last event observed.
func (e *env) lastEvent() webapi.Event {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.events) == 0 {
		e.t.Fatal("no event observed")
	}
	return e.events[len(e.events)-1]
}

// response is an answer read whole.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request with the given headers ("Name: value") and body.
func (e *env) do(method, path, body string, headers ...string) response {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.http.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	return e.send(http.DefaultClient, req)
}

func (e *env) send(c *http.Client, req *http.Request) response {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// postJSON posts a JSON body.
func (e *env) postJSON(path, body string, headers ...string) response {
	e.t.Helper()
	return e.do("POST", path, body, append([]string{"Content-Type: application/json"}, headers...)...)
}

// adminToken signs the admin in and returns the token.
func (e *env) adminToken() string {
	e.t.Helper()
	resp := e.postJSON("/rest/V1/integration/admin/token", `{"username":"admin","password":"magento123"}`)
	if resp.status != http.StatusOK {
		e.t.Fatalf("admin token: %d %s", resp.status, resp.body)
	}
	var token string
	if err := json.Unmarshal([]byte(resp.body), &token); err != nil {
		e.t.Fatalf("admin token body %q: %v", resp.body, err)
	}
	return token
}

// creds are fixed credentials for integration n (1–9).
func creds(n int) integration.Credentials {
	c := func(kind byte) string { return strings.Repeat(string(rune('a'+n)), 31) + string(kind) }
	return integration.Credentials{ConsumerKey: c('k'), ConsumerSecret: c('s'), AccessToken: c('t'), AccessTokenSecret: c('x')}
}

// integrationWith creates an Active integration with credentials creds(n)
// and the given grant.
func (e *env) integrationWith(n int, all bool, resources ...string) integration.Integration {
	e.t.Helper()
	in, err := e.svc.CreateWithCredentials(e.t.Context(), integration.Integration{
		Name: "Integration " + string(rune('A'+n)), AllResources: all, Resources: resources,
	}, creds(n))
	if err != nil {
		e.t.Fatal(err)
	}
	return in
}

// signedClient returns an HTTP client that signs as integration n with
// dghubble/oauth1 and HMAC-SHA256.
func signedClient(n int) *http.Client {
	c := creds(n)
	cfg := &oauth1.Config{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret, Signer: &oauth1.HMAC256Signer{ConsumerSecret: c.ConsumerSecret}}
	return cfg.Client(context.Background(), oauth1.NewToken(c.AccessToken, c.AccessTokenSecret))
}

// signed sends a request signed as integration n.
func (e *env) signed(n int, method, path, body string) response {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.http.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(signedClient(n), req)
}

// denied is Magento's ACL refusal body for refs.
func denied(refs string) string {
	b, _ := json.Marshal(refs)
	return `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":` + string(b) + `}}`
}

// noFixture is the body of an authorised call to a route without fixture.
func noFixture(method, url string) string {
	return `{"message":"magekit emulator: no fixture is set for ` + method + " " + strings.ReplaceAll(url, "/", `\/`) + `"}`
}
