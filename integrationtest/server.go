package integrationtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/magekit/magekit/emulator/journal"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/twofactor"
	"github.com/magekit/magekit/webapi"
)

// Server is an emulated Magento 2.4.7 store on a loopback httptest server:
// the same [emulator.Emulator] as the standalone emulator, plus the third
// party's side of the activation handshake (an endpoint that receives the
// credential POST and an identity link page), so that a test can activate
// integrations for real and sign calls with an independent OAuth client.
//
// A Server is closed when the test ends. It stores no testing.TB: as with
// httptest, a helper that can fail takes the testing.TB it fails (with
// t.Fatalf, so from the goroutine running that test or subtest).
// [Server.SignedClient] and the returned clients are safe for concurrent
// use.
type Server struct {
	// URL is the store's root URL, "http://127.0.0.1:PORT", with no
	// trailing slash (as httptest.Server.URL).
	URL string
	// BaseURL is the store base URL, URL + "/": store_base_url of the
	// credential POST.
	BaseURL string
	// EndpointURL and IdentityLinkURL are the third party's endpoint
	// ("Callback URL") and identity link, served by the harness. An
	// integration created with both goes through the token exchange in
	// [Server.Activate].
	EndpointURL     string
	IdentityLinkURL string
	// Emulator is the store itself: its Service, Settings, Server and
	// journal.
	Emulator *emulator.Emulator

	http  *httptest.Server
	app   *httptest.Server
	admin struct{ user, password string }
	// googleKey is the admin's decoded Google secret under WithTwoFactor;
	// twoFactor says whether admin tokens come from the Google route.
	googleKey []byte
	twoFactor bool

	mu       sync.Mutex
	posts    map[string]credentialPost // by consumer key
	linked   map[string]linkResult     // by consumer key
	tokenVal string                    // cached admin token
}

// Option is one setting or seeding step of [NewServer], applied in order.
type Option func(*setup)

type setup struct {
	cfg   emulator.Config
	seeds []func(*Server) error
	err   error // an option that could not be applied: NewServer fails with it
}

// WithProfile selects the signature profile (default Magento 2.4.7).
func WithProfile(p signature.Profile) Option {
	return func(s *setup) { s.cfg.Profile = p }
}

// WithRequirePassword makes current_password mandatory on the control
// routes that create or change integrations.
func WithRequirePassword() Option {
	return func(s *setup) { s.cfg.RequirePassword = true }
}

// WithStore makes the emulator keep its integrations in st instead of a
// new memstore; the test owns st.
func WithStore(st integration.Store) Option {
	return func(s *setup) { s.cfg.Store = st }
}

// WithLogger sends the emulator's logs to l.
func WithLogger(l *slog.Logger) Option {
	return func(s *setup) { s.cfg.Logger = l }
}

// WithIntegration creates in (Inactive) when the server starts; find it
// with [Server.Integration].
func WithIntegration(in integration.Integration) Option {
	return func(s *setup) {
		s.seeds = append(s.seeds, func(srv *Server) error {
			_, err := srv.Emulator.Service().Create(context.Background(), in)
			return err
		})
	}
}

// WithActiveIntegration creates in when the server starts, Active with
// exactly the credentials c (each 32 characters of [0-9a-z]), so a test
// can hard-code them.
func WithActiveIntegration(in integration.Integration, c integration.Credentials) Option {
	return func(s *setup) {
		s.seeds = append(s.seeds, func(srv *Server) error {
			_, err := srv.Emulator.Service().CreateWithCredentials(context.Background(), in, c)
			return err
		})
	}
}

// WithFixture sets f when the server starts.
func WithFixture(f webapi.Fixture) Option {
	return func(s *setup) {
		s.seeds = append(s.seeds, func(srv *Server) error { return srv.Emulator.SetFixture(f) })
	}
}

// WithSeed applies a seed (see [emulator.ParseSeed]) when the server
// starts: its start options (store codes, two-factor, unmatched mode),
// then its config, integrations and fixtures.
func WithSeed(seed emulator.Seed) Option {
	return func(s *setup) {
		seed.Configure(&s.cfg)
		s.seeds = append(s.seeds, func(srv *Server) error { return srv.Emulator.ApplySeed(context.Background(), seed) })
	}
}

// WithUnmatched sets what an authorised call that no fixture answers gets:
// [emulator.UnmatchedNote] (the default) or [emulator.UnmatchedError].
func WithUnmatched(mode string) Option {
	return func(s *setup) { s.cfg.Unmatched = mode }
}

// WithMatchingFixture adds a fixture of the emulator's full shape (match,
// sequence, scenario) when the server starts.
func WithMatchingFixture(f fixture.Fixture) Option {
	return func(s *setup) {
		s.seeds = append(s.seeds, func(srv *Server) error { _, err := srv.Emulator.PutFixture(f); return err })
	}
}

// WithConfig sets the Magento config path to value when the server
// starts, e.g. WithConfig("oauth/consumer/enable_integration_as_bearer", "1").
func WithConfig(path, value string) Option {
	return func(s *setup) {
		s.seeds = append(s.seeds, func(srv *Server) error {
			return srv.Emulator.Settings().Set(map[string]string{path: value})
		})
	}
}

// NewServer starts an emulated store and the third party's side on
// loopback httptest servers, applies opts in order, and closes both when
// the test ends. It fails the test if anything cannot be set up.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	var st setup
	for _, o := range opts {
		o(&st)
	}
	if st.err != nil {
		t.Fatalf("integrationtest: NewServer: %v", st.err)
	}
	s := &Server{posts: make(map[string]credentialPost), linked: make(map[string]linkResult)}
	s.admin.user, s.admin.password = emulator.DefaultAdminUser, emulator.DefaultAdminPassword

	// The listener is needed before the Emulator, whose base URL holds the
	// port.
	s.http = httptest.NewUnstartedServer(nil)
	s.URL = "http://" + s.http.Listener.Addr().String()
	s.BaseURL = s.URL + "/"
	st.cfg.BaseURL = s.BaseURL
	emu, err := emulator.New(context.Background(), st.cfg)
	if err != nil {
		s.http.Close()
		t.Fatalf("integrationtest: emulator.New: %v", err)
	}
	s.Emulator = emu
	s.twoFactor = st.cfg.TwoFactor
	if st.cfg.AdminGoogleSecret != "" {
		s.googleKey, _ = twofactor.DecodeSecret(st.cfg.AdminGoogleSecret) // checked by emulator.New
	}
	s.http.Config.Handler = emu
	s.http.Start()
	t.Cleanup(s.http.Close)
	if tr, ok := s.http.Client().Transport.(*http.Transport); ok {
		// Tests call in parallel: keep a connection per caller.
		tr.MaxIdleConnsPerHost = maxIdleConns
	}

	s.app = httptest.NewServer(s.thirdParty())
	t.Cleanup(s.app.Close)
	s.EndpointURL = s.app.URL + "/endpoint"
	s.IdentityLinkURL = s.app.URL + "/identity"

	for _, seed := range st.seeds {
		if err := seed(s); err != nil {
			t.Fatalf("integrationtest: NewServer: %v", err)
		}
	}
	return s
}

// maxIdleConns is how many idle connections to the store the clients of
// [Server.Client] and [Server.SignedClient] keep.
const maxIdleConns = 64

// Client returns an HTTP client for the store that signs nothing. It and
// the clients of [Server.SignedClient] share one transport, which keeps
// up to 64 idle connections.
func (s *Server) Client() *http.Client { return s.http.Client() }

// AdminToken returns an admin token from POST
// /rest/V1/integration/admin/token, or under [WithTwoFactor] from POST
// /rest/V1/tfa/provider/google/authenticate with the current code of the
// admin's secret, fetched once and then reused.
func (s *Server) AdminToken(t testing.TB) string {
	t.Helper()
	s.mu.Lock()
	tok := s.tokenVal
	s.mu.Unlock()
	if tok != "" {
		return tok
	}
	fields, path := map[string]string{"username": s.admin.user, "password": s.admin.password}, "/rest/V1/integration/admin/token"
	if s.twoFactor {
		// Magento_TwoFactorAuth: the token comes from the Google provider.
		fields["otp"], path = twofactor.TOTP(s.googleKey, time.Now()), "/rest/V1/tfa/provider/google/authenticate"
	}
	creds, err := json.Marshal(fields)
	if err != nil {
		t.Fatalf("integrationtest: admin token: %v", err)
	}
	status, body := s.do(t, http.MethodPost, path, "", string(creds))
	if status != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok == "" {
		t.Fatalf("integrationtest: admin token: %d %s", status, body)
	}
	s.mu.Lock()
	s.tokenVal = tok
	s.mu.Unlock()
	return tok
}

// AdminDo sends a request with the admin token to path (below URL, such
// as "/rest/V1/integrations") and returns the status and body. body, when
// not empty, is sent as JSON: `{"integration":{"name":"ERP"}}`.
func (s *Server) AdminDo(t testing.TB, method, path, body string) (int, []byte) {
	t.Helper()
	return s.do(t, method, path, s.AdminToken(t), body)
}

// do sends a JSON request, with a Bearer token when token is not empty.
func (s *Server) do(t testing.TB, method, path, token, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatalf("integrationtest: %s %s: %v", method, path, err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("integrationtest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("integrationtest: %s %s: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// CreateIntegration creates in, Inactive, and returns it with its id.
func (s *Server) CreateIntegration(t testing.TB, in integration.Integration) integration.Integration {
	t.Helper()
	out, err := s.Emulator.Service().Create(t.Context(), in)
	if err != nil {
		t.Fatalf("integrationtest: create integration %q: %v", in.Name, err)
	}
	return out
}

// CreateActiveIntegration creates in, Active with exactly the credentials
// c (each 32 characters of [0-9a-z]), and returns it.
func (s *Server) CreateActiveIntegration(t testing.TB, in integration.Integration, c integration.Credentials) integration.Integration {
	t.Helper()
	out, err := s.Emulator.Service().CreateWithCredentials(t.Context(), in, c)
	if err != nil {
		t.Fatalf("integrationtest: create integration %q: %v", in.Name, err)
	}
	return out
}

// Integration returns the integration named name.
func (s *Server) Integration(t testing.TB, name string) integration.Integration {
	t.Helper()
	in, err := s.Emulator.Service().ByName(t.Context(), name)
	if err != nil {
		t.Fatalf("integrationtest: integration %q: %v", name, err)
	}
	return in
}

// SetFixture makes f the answer of its route.
func (s *Server) SetFixture(t testing.TB, f webapi.Fixture) {
	t.Helper()
	if err := s.Emulator.SetFixture(f); err != nil {
		t.Fatalf("integrationtest: fixture %s %s: %v", f.Method, f.URL, err)
	}
}

// SetConfig sets the Magento config path to value.
func (s *Server) SetConfig(t testing.TB, path, value string) {
	t.Helper()
	if err := s.Emulator.Settings().Set(map[string]string{path: value}); err != nil {
		t.Fatalf("integrationtest: config %s: %v", path, err)
	}
}

// Journal returns the requests the store answered, oldest first.
func (s *Server) Journal() []journal.Entry { return s.Emulator.Journal() }

// Requests returns the journal entries that pass f, oldest first, as GET
// /rest/V1/emulator/journal?method=&path=&... answers them: a test asserts
// with it what the connector sent, headers and body included (redacted).
func (s *Server) Requests(f journal.Filter) []journal.Entry {
	return s.Emulator.Requests(f)
}

// ClearJournal empties the journal and nothing else, as DELETE
// /rest/V1/emulator/journal does.
func (s *Server) ClearJournal() { s.Emulator.ClearJournal() }

// Reset forgets every integration, customer, fixture, config value and
// journal entry, as POST /rest/V1/emulator/reset does.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	if err := s.Emulator.Reset(t.Context()); err != nil {
		t.Fatalf("integrationtest: reset: %v", err)
	}
}

// SignedClient returns an HTTP client that signs every request with c, as
// a third party does: OAuth 1.0a, HMAC-SHA256, by
// github.com/dghubble/oauth1. It is safe for concurrent use.
func (s *Server) SignedClient(c integration.Credentials) *http.Client {
	cfg := &oauth1.Config{
		ConsumerKey:    c.ConsumerKey,
		ConsumerSecret: c.ConsumerSecret,
		Signer:         &oauth1.HMAC256Signer{ConsumerSecret: c.ConsumerSecret},
	}
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, s.http.Client())
	return cfg.Client(ctx, oauth1.NewToken(c.AccessToken, c.AccessTokenSecret))
}

// Activate runs the admin's Allow step for the integration with id
// through POST /rest/V1/integrations/:id/activate and returns the four
// credentials. On the direct path they are the answer. On the token
// exchange the credential POST must reach [Server.EndpointURL]; when the
// identity link is [Server.IdentityLinkURL] the harness then opens it as
// the admin's browser would, and the third party completes the handshake
// with dghubble/oauth1 and redirects to success_call_back; with another
// identity link the harness completes the handshake directly.
func (s *Server) Activate(t testing.TB, id int64) integration.Credentials {
	t.Helper()
	return s.activation(t, id, "activate")
}

// Reauthorize is [Server.Activate] for POST
// /rest/V1/integrations/:id/reauthorize.
func (s *Server) Reauthorize(t testing.TB, id int64) integration.Credentials {
	t.Helper()
	return s.activation(t, id, "reauthorize")
}

func (s *Server) activation(t testing.TB, id int64, step string) integration.Credentials {
	t.Helper()
	status, body := s.AdminDo(t, http.MethodPost, fmt.Sprintf("/rest/V1/integrations/%d/%s", id, step), "")
	if status != http.StatusOK {
		t.Fatalf("integrationtest: %s integration %d: %d %s", step, id, status, body)
	}
	var ans struct {
		ConsumerKey       string `json:"consumer_key"`
		ConsumerSecret    string `json:"consumer_secret"`
		AccessToken       string `json:"access_token"`
		AccessTokenSecret string `json:"access_token_secret"`
		OAuthConsumerKey  string `json:"oauth_consumer_key"`
		IdentityLinkURL   string `json:"identity_link_url"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		t.Fatalf("integrationtest: %s integration %d: %v", step, id, err)
	}
	if ans.OAuthConsumerKey == "" {
		return integration.Credentials{ConsumerKey: ans.ConsumerKey, ConsumerSecret: ans.ConsumerSecret,
			AccessToken: ans.AccessToken, AccessTokenSecret: ans.AccessTokenSecret}
	}
	key := ans.OAuthConsumerKey
	if strings.HasPrefix(ans.IdentityLinkURL, s.IdentityLinkURL+"?") {
		s.openIdentityLink(t, ans.IdentityLinkURL)
	} else if err := s.link(key); err != nil {
		t.Fatalf("integrationtest: %s integration %d: %v", step, id, err)
	}
	s.mu.Lock()
	res, ok := s.linked[key]
	s.mu.Unlock()
	switch {
	case !ok:
		t.Fatalf("integrationtest: %s integration %d: the handshake did not run", step, id)
	case res.err != nil:
		t.Fatalf("integrationtest: %s integration %d: %v", step, id, res.err)
	}
	return res.creds
}

// openIdentityLink is the admin's browser: it opens the identity link and
// follows the third party's redirect to success_call_back.
func (s *Server) openIdentityLink(t testing.TB, link string) {
	t.Helper()
	resp, err := s.app.Client().Get(link)
	if err != nil {
		t.Fatalf("integrationtest: identity link: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != s.Emulator.SuccessCallbackURL() {
		t.Fatalf("integrationtest: identity link: %d at %s: %s", resp.StatusCode, resp.Request.URL, body)
	}
}
