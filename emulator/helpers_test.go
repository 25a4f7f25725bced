package emulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/magekit/magekit/emulator"
)

// emuHarness is an Emulator behind an httptest server. Its identifiers
// start with "emu" so they stay clear of the other tests of this package.
type emuHarness struct {
	t     testing.TB
	emu   *emulator.Emulator
	srv   *httptest.Server
	token string
}

// newEmuHarness starts an Emulator whose base URL is the server's; change
// tweaks the config first.
func newEmuHarness(t testing.TB, change func(*emulator.Config)) *emuHarness {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	c := emulator.Config{BaseURL: "http://" + srv.Listener.Addr().String() + "/", PasswordIterations: 1000}
	if change != nil {
		change(&c)
	}
	emu, err := emulator.New(t.Context(), c)
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	srv.Config.Handler = emu
	srv.Start()
	t.Cleanup(srv.Close)
	return &emuHarness{t: t, emu: emu, srv: srv}
}

// emuReply is an answer read whole.
type emuReply struct {
	status int
	header http.Header
	body   string
}

// do sends a request; headers are "Name: value".
func (h *emuHarness) do(method, path, body string, headers ...string) emuReply {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, hv := range headers {
		name, value, _ := strings.Cut(hv, ":")
		req.Header.Set(name, strings.TrimSpace(value))
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return emuReply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// adminToken returns an admin token, fetched once.
func (h *emuHarness) adminToken() string {
	h.t.Helper()
	if h.token == "" {
		r := h.do("POST", "/rest/V1/integration/admin/token", `{"username":"admin","password":"magento123"}`, "Content-Type: application/json")
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &h.token) != nil {
			h.t.Fatalf("admin token: %d %s", r.status, r.body)
		}
	}
	return h.token
}

// admin sends a JSON request with the admin token.
func (h *emuHarness) admin(method, path, body string) emuReply {
	h.t.Helper()
	return h.do(method, path, body, "Authorization: Bearer "+h.adminToken(), "Content-Type: application/json")
}

// adminOK sends an admin request that must answer 200 and decodes the
// answer into v (when not nil).
func (h *emuHarness) adminOK(method, path, body string, v any) {
	h.t.Helper()
	r := h.admin(method, path, body)
	if r.status != http.StatusOK {
		h.t.Fatalf("%s %s = %d %s, want 200", method, path, r.status, r.body)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(r.body), v); err != nil {
			h.t.Fatalf("%s %s: %v in %s", method, path, err, r.body)
		}
	}
}

// emuCredentialRE matches a generated or given credential.
var emuCredentialRE = regexp.MustCompile(`^[0-9a-z]{32}$`)

// emuTimeRE matches Magento's timestamp format.
var emuTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)

// emuNormalise decodes a JSON answer and replaces the values that differ
// from run to run by placeholders, after checking their shape:
// credentials by "<credential>", timestamps by "<time>" and the consumer
// key inside an identity link by "<key>".
func emuNormalise(t *testing.T, body string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("answer %q is not JSON: %v", body, err)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				s, isString := x.(string)
				switch {
				case isString && strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">"):
					// a placeholder already
				case isString && k == "time":
					if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
						t.Errorf("time = %q, want RFC 3339", s)
					}
					v[k] = "<time>"
				case isString && (k == "created_at" || k == "updated_at"):
					if !emuTimeRE.MatchString(s) {
						t.Errorf("%s = %q, want Magento's timestamp format", k, s)
					}
					v[k] = "<time>"
				case isString && s != "" && (k == "consumer_key" || k == "consumer_secret" || k == "access_token" ||
					k == "access_token_secret" || k == "oauth_consumer_key"):
					if !emuCredentialRE.MatchString(s) {
						t.Errorf("%s = %q, want 32 characters of [0-9a-z]", k, s)
					}
					v[k] = "<credential>"
				case isString && k == "identity_link_url":
					v[k] = regexp.MustCompile(`oauth_consumer_key=[0-9a-z]{32}`).ReplaceAllString(s, "oauth_consumer_key=<key>")
				default:
					v[k] = walk(x)
				}
			}
		case []any:
			for i := range v {
				v[i] = walk(v[i])
			}
		}
		return v
	}
	return walk(v)
}

// emuEndpoint is a third party's endpoint that records credential POSTs.
type emuEndpoint struct {
	srv   *httptest.Server
	mu    sync.Mutex
	posts []map[string]string
}

func newEmuEndpoint(t *testing.T) *emuEndpoint {
	t.Helper()
	e := &emuEndpoint{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		post := map[string]string{"method": r.Method, "content_type": r.Header.Get("Content-Type"), "user_agent": r.UserAgent()}
		for k := range r.PostForm {
			post[k] = r.PostForm.Get(k)
		}
		e.mu.Lock()
		e.posts = append(e.posts, post)
		e.mu.Unlock()
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *emuEndpoint) last(t *testing.T) map[string]string {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.posts) == 0 {
		t.Fatal("no credential POST received")
	}
	return e.posts[len(e.posts)-1]
}
