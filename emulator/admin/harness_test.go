package admin_test

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store/memstore"
)

// fakeUsers is one admin user, "admin" with password "secret".
type fakeUsers struct{}

func (fakeUsers) VerifyAdmin(_ context.Context, username, password string) (admin.User, bool, error) {
	if !strings.EqualFold(username, "admin") {
		return admin.User{}, false, nil
	}
	return admin.User{ID: 1, Username: "admin"}, password == "secret", nil
}

// mapSettings is a Settings over a map, without validation.
type mapSettings struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *mapSettings) All() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.m)
}

func (s *mapSettings) Set(v map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.Copy(s.m, v)
	return nil
}

func (s *mapSettings) Value(p string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[p]
	return v, ok
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

// harness is an Admin on httptest with its own store, clock and journal.
type harness struct {
	t        testing.TB
	srv      *httptest.Server
	base     string
	svc      *integration.Service
	settings *mapSettings
	clock    *clock
	client   *http.Client
	mu       sync.Mutex
	events   []admin.Event
}

func (h *harness) RecordAdmin(ev admin.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, clock: &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, settings: &mapSettings{m: map[string]string{}}}
	h.srv = httptest.NewUnstartedServer(nil)
	h.base = "http://" + h.srv.Listener.Addr().String() + "/"
	st, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	h.svc = integration.NewService(st, integration.Config{Now: h.clock.Now, StoreBaseURL: h.base, PostTimeout: func() time.Duration { return time.Second }})
	a, err := admin.New(admin.Config{BaseURL: h.base, Integrations: h.svc, Users: fakeUsers{}, Settings: h.settings, Journal: h, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	h.srv.Config.Handler = a
	h.srv.Start()
	t.Cleanup(h.srv.Close)
	h.client = h.newClient()
	return h
}

// newClient returns a client with its own cookies that does not follow
// redirects.
func (h *harness) newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// response is an answer read whole.
type response struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (h *harness) do(c *http.Client, method, path string, form url.Values, header map[string]string) response {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.base+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b), header: resp.Header}
}

func (h *harness) get(path string) response {
	h.t.Helper()
	return h.do(h.client, "GET", path, nil, nil)
}

func (h *harness) post(path string, form url.Values) response {
	h.t.Helper()
	return h.do(h.client, "POST", path, form, nil)
}

// xhr sends an AJAX request as the admin's JavaScript does.
func (h *harness) xhr(method, path string, form url.Values) response {
	h.t.Helper()
	return h.do(h.client, method, path, form, map[string]string{"X-Requested-With": "XMLHttpRequest"})
}

var formKeyRE = regexp.MustCompile(`name="form_key" (?:type="hidden" )?value="([0-9A-Za-z]+)"|data-form-key="([0-9A-Za-z]+)"`)

// formKey is the form key of the page body.
func formKeyOf(body string) string {
	m := formKeyRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}

// signIn signs the harness client in with password and returns the
// answer of the POST.
func (h *harness) signIn(c *http.Client, password string) response {
	h.t.Helper()
	page := h.do(c, "GET", "admin/", nil, nil)
	return h.do(c, "POST", "admin/", url.Values{"form_key": {formKeyOf(page.body)}, "login[username]": {"admin"}, "login[password]": {password}}, nil)
}

// key is the signed-in session's form key.
func (h *harness) key() string {
	h.t.Helper()
	k := formKeyOf(h.get("admin/admin/integration/").body)
	if k == "" {
		h.t.Fatal("no form key on the grid: not signed in")
	}
	return k
}

// messages returns the texts of the messages of type typ on the page
// at path.
func (h *harness) messages(path, typ string) []string {
	h.t.Helper()
	body := h.get(path).body
	re := regexp.MustCompile(`<div data-ui-id="messages-message-` + typ + `">(.*?)</div>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}
