package webapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
)

// Defaults of [EmulatorConfig].
const (
	DefaultBaseURL       = "http://localhost/"
	DefaultAdminUser     = "admin"
	DefaultAdminPassword = "magento123"
	// EmulatorPasswordIterations is the PBKDF2 iteration count of the
	// emulator's passwords: its users are test fixtures, and an admin token
	// or a password confirmation should take milliseconds, not the tenth
	// of a second that [DefaultPasswordIterations] costs.
	EmulatorPasswordIterations = 10_000
)

// SuccessCallbackPath is the path, below the base URL, of the page that
// Magento's admin passes to the identity link as success_call_back (SPEC
// §5.2 step 5): adminhtml/integration/loginSuccessCallback.
const SuccessCallbackPath = "admin/admin/integration/loginSuccessCallback/"

// EmulatorConfig configures an [Emulator]. Every zero field means the
// default; NewEmulator copies it.
type EmulatorConfig struct {
	// BaseURL is the store's base URL: announced as store_base_url in the
	// credential POST, the prefix of the success_call_back URL, and the URL
	// clients call. An absolute http or https URL; a missing final "/" is
	// added. When it has a path ("http://host/magento/"), requests are
	// served both below that path and at the root. Default
	// [DefaultBaseURL].
	BaseURL string
	// Store keeps the integrations and OAuth rows; default a new memstore.
	// The Emulator does not close it.
	Store integration.Store
	// AdminUser and AdminPassword are the admin user created at start, who
	// gets admin tokens from POST /rest/V1/integration/admin/token and
	// calls the control routes. Defaults [DefaultAdminUser] and
	// [DefaultAdminPassword].
	AdminUser     string
	AdminPassword string
	// RequirePassword makes current_password mandatory when a control
	// route creates or changes an integration, as Magento's admin form
	// requires it.
	RequirePassword bool
	// Profile is the signature profile; default Magento 2.4.7.
	Profile oauth.Profile
	// JWTSecret signs admin and customer tokens; default random, so tokens
	// do not survive a restart.
	JWTSecret string
	// PasswordIterations is the PBKDF2 iteration count of the admin's and
	// new customers' passwords; default [EmulatorPasswordIterations].
	PasswordIterations int
	// JournalSize is how many requests the journal keeps, the most recent
	// ones; default [DefaultJournalSize].
	JournalSize int
	// HTTPClient sends the credential POST; default a client that follows
	// oauth/consumer/post_maxredirects redirects, with
	// oauth/consumer/post_timeout per POST.
	HTTPClient *http.Client
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives operational logs; default discards. Secrets are never
	// logged.
	Logger *slog.Logger
	// NoSignatureDiagnosis turns the signature doctor off. By default every
	// signature failure is diagnosed: the journal entry's diagnosis names
	// the signing rule the client broke (oauth.Config.DiagnoseSignatures).
	NoSignatureDiagnosis bool
}

// Emulator is a Magento 2.4.7 store as connector test harnesses see it:
// Magento's REST routes and OAuth endpoints (a [Server]), the emulator's
// control routes under /rest/V1/integrations and /rest/V1/emulator, the
// success_call_back page, and a journal of every request. It is the one
// assembly behind the standalone emulator and package integrationtest. An
// Emulator is an http.Handler, safe for concurrent use.
//
// The control routes (all JSON, all needing an admin token and the ACL
// resource Magento_Integration::integrations):
//
//	POST   /rest/V1/integrations                   create
//	GET    /rest/V1/integrations                   list
//	GET    /rest/V1/integrations/:id               read
//	PUT    /rest/V1/integrations/:id               update
//	DELETE /rest/V1/integrations/:id               delete
//	POST   /rest/V1/integrations/:id/activate      Allow
//	POST   /rest/V1/integrations/:id/reauthorize   Reauthorize
//	GET    /rest/V1/integrations/:id/tokens        the four credentials
//	GET    /rest/V1/emulator/config                the config map
//	PUT    /rest/V1/emulator/config                change config values
//	PUT    /rest/V1/emulator/fixtures              set a route's fixture
//	GET    /rest/V1/emulator/journal               the requests seen
//	POST   /rest/V1/emulator/reset                 forget everything
type Emulator struct {
	srv             *Server
	svc             *integration.Service
	provider        *oauth.Provider
	settings        *Settings
	journal         *journal
	baseURL         string
	basePath        string // the base URL's escaped path, ending in "/"
	requirePassword bool
	now             func() time.Time
	log             *slog.Logger
}

// NewEmulator assembles an Emulator: the live [Settings], the
// oauth.Provider (consumer expiry read from the settings, the integration
// made Active on the access-token exchange), the integration.Service
// (store_base_url and success_call_back from BaseURL, the credential POST's
// timeout and redirects from the settings), the admin user, and a [Server]
// with the control routes, whose every request goes to the journal. It
// fails on an invalid BaseURL or when the store or the admin user cannot be
// created.
func NewEmulator(ctx context.Context, c EmulatorConfig) (*Emulator, error) {
	base, basePath, err := normaliseBaseURL(c.BaseURL)
	if err != nil {
		return nil, err
	}
	if c.Store == nil {
		st, err := memstore.New()
		if err != nil {
			return nil, fmt.Errorf("webapi: emulator store: %w", err)
		}
		c.Store = st
	}
	if c.AdminUser == "" {
		c.AdminUser = DefaultAdminUser
	}
	if c.AdminPassword == "" {
		c.AdminPassword = DefaultAdminPassword
	}
	if c.PasswordIterations <= 0 {
		c.PasswordIterations = EmulatorPasswordIterations
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Emulator{
		settings:        NewSettings(),
		journal:         newJournal(c.JournalSize),
		baseURL:         base,
		basePath:        basePath,
		requirePassword: c.RequirePassword,
		now:             c.Now,
		log:             c.Logger,
	}
	e.svc = integration.NewService(c.Store, integration.Config{
		Now:                c.Now,
		HTTPClient:         c.HTTPClient,
		StoreBaseURL:       base,
		SuccessCallbackURL: base + SuccessCallbackPath,
		PostTimeout:        e.settings.PostTimeout,
		PostMaxRedirects:   e.settings.PostMaxRedirects,
		Logger:             c.Logger,
	})
	e.provider = oauth.NewProvider(c.Store, oauth.Config{
		Profile:            c.Profile,
		Now:                c.Now,
		ConsumerExpiry:     e.settings.ConsumerExpiration,
		CleanupProbability: e.settings.CleanupProbability,
		CleanupExpiration:  e.settings.CleanupExpiration,
		OnAccess:           e.svc.OnAccess,
		Logger:             c.Logger,
		DiagnoseSignatures: !c.NoSignatureDiagnosis,
	})
	users := NewMemoryUsers()
	pw, err := NewPassword(c.AdminPassword, c.PasswordIterations)
	if err != nil {
		return nil, err
	}
	if err := users.CreateAdmin(ctx, &AdminUser{Username: c.AdminUser, Password: pw, FirstName: "Admin", LastName: "User"}); err != nil {
		return nil, fmt.Errorf("webapi: emulator admin user: %w", err)
	}
	e.srv, err = New(Config{
		Store:              c.Store,
		Service:            e.svc,
		Provider:           e.provider,
		Profile:            c.Profile,
		Users:              users,
		Settings:           e.settings,
		Routes:             append(DefaultRoutes(), ControlRoutes()...),
		JWTSecret:          c.JWTSecret,
		PasswordIterations: c.PasswordIterations,
		Observer:           e.observe,
		Now:                c.Now,
		Logger:             c.Logger,
	})
	if err != nil {
		return nil, err
	}
	if err := e.registerControl(); err != nil {
		return nil, err
	}
	return e, nil
}

// normaliseBaseURL checks a base URL and returns it ending in "/", with its
// escaped path.
func normaliseBaseURL(raw string) (base, path string, err error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("webapi: base URL %q: want an absolute http or https URL without query", raw)
	}
	if !strings.HasSuffix(raw, "/") {
		raw += "/"
	}
	path = u.EscapedPath()
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	return raw, path, nil
}

// Server returns the Web API server the Emulator wraps, for its fixtures,
// handlers and users.
func (e *Emulator) Server() *Server { return e.srv }

// Service returns the integration service.
func (e *Emulator) Service() *integration.Service { return e.svc }

// Provider returns the OAuth provider.
func (e *Emulator) Provider() *oauth.Provider { return e.provider }

// Settings returns the live store configuration; changes apply to the
// next request.
func (e *Emulator) Settings() *Settings { return e.settings }

// BaseURL returns the store base URL, ending in "/".
func (e *Emulator) BaseURL() string { return e.baseURL }

// SuccessCallbackURL returns the URL of the success_call_back page.
func (e *Emulator) SuccessCallbackURL() string { return e.baseURL + SuccessCallbackPath }

// Journal returns the requests answered, oldest first: at most the
// configured JournalSize most recent ones. The slice is a copy.
func (e *Emulator) Journal() []JournalEntry { return e.journal.list() }

// SetFixture makes f the answer of its route; see [Server.SetFixture]. A
// control route takes no fixture: that would hide the route from the
// harness (Input error [MsgControlFixture]).
func (e *Emulator) SetFixture(f Fixture) error {
	if err := checkFixtureRoute(f); err != nil {
		return err
	}
	return e.srv.SetFixture(f)
}

// checkFixtureRoute refuses a fixture for a control route.
func checkFixtureRoute(f Fixture) error {
	if isControlRoute(f.URL) {
		return magerr.New(magerr.Input, MsgControlFixture, strings.ToUpper(f.Method), f.URL)
	}
	return nil
}

// Reset forgets every integration (with its consumer, tokens and nonces),
// customer, fixture, config value (back to Magento's defaults), sign-in
// failure, token revocation and journal entry. The admin user stays, and
// so do admin tokens already issued. A failure of the store leaves the rest
// untouched and is returned.
func (e *Emulator) Reset(ctx context.Context) error {
	if err := e.svc.Reset(ctx); err != nil {
		return fmt.Errorf("webapi: emulator reset: %w", err)
	}
	if err := e.srv.Reset(ctx); err != nil {
		return fmt.Errorf("webapi: emulator reset: %w", err)
	}
	e.settings.Reset()
	e.journal.reset()
	e.log.InfoContext(ctx, "emulator reset")
	return nil
}

// ServeHTTP answers r: the success_call_back page, else the [Server]. A
// path below the base URL's path is served as the same path at the root;
// signatures are still checked against the URL as sent.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e.basePath != "/" {
		r = e.stripBase(r)
	}
	if e.isSuccessCallback(r) {
		e.serveSuccessCallback(w, r)
		return
	}
	e.srv.ServeHTTP(w, r)
}

// stripBase returns r with the base URL's path removed from its URL path,
// or r itself when its path is not below it. RequestURI is kept, so the
// URL signed is the one sent.
func (e *Emulator) stripBase(r *http.Request) *http.Request {
	escaped := r.URL.EscapedPath()
	if !strings.HasPrefix(escaped, e.basePath) {
		return r
	}
	rest := escaped[len(e.basePath)-1:]
	p, err := url.PathUnescape(rest)
	if err != nil {
		return r
	}
	u := *r.URL
	u.Path, u.RawPath = p, rest
	r2 := new(http.Request)
	*r2 = *r
	r2.URL = &u
	return r2
}

// observe is the Server's observer: every request it answered goes to the
// journal, except those a control route answered, which journal
// themselves with their error (see control).
func (e *Emulator) observe(ev Event) {
	if ev.Outcome == OutcomeHandler && isControlRoute(ev.Route) {
		return
	}
	e.journal.add(entryFromEvent(ev))
}

// isSuccessCallback reports whether r asks for the success_call_back page.
func (e *Emulator) isSuccessCallback(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	return p == "/"+SuccessCallbackPath || p == "/"+strings.TrimSuffix(SuccessCallbackPath, "/")
}

// successCallbackPage is adminhtml/integration/loginSuccessCallback: a
// page that closes its popup window after 1000 ms (SPEC §5.2 step 6).
const successCallbackPage = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Integration</title></head>
<body>
<script>setTimeout(function () { window.close(); }, 1000);</script>
</body>
</html>
`

// serveSuccessCallback answers the success_call_back page and journals it.
// Magento serves it to the admin's browser session; the emulator has no
// sessions and serves it to anyone.
func (e *Emulator) serveSuccessCallback(w http.ResponseWriter, r *http.Request) {
	at := e.now()
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(successCallbackPage))
	}
	e.journal.add(JournalEntry{
		Time:    at.UTC(),
		Method:  r.Method,
		Path:    cut(r.URL.EscapedPath(), maxJournalPath),
		Query:   cut(redactQuery(r.URL.RawQuery), maxJournalPath),
		Who:     "guest",
		Outcome: string(OutcomeSuccessCallback),
		Status:  http.StatusOK,
	})
}

// errNoAdmin is returned when the admin user vanished from the user store.
var errNoAdmin = errors.New("webapi: emulator: the calling admin user does not exist")
