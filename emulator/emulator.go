package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/emulator/journal"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/twofactor"
	"github.com/magekit/magekit/webapi"
	"github.com/magekit/magekit/webapi/route"
)

// Defaults of [Config].
const (
	DefaultBaseURL       = "http://localhost/"
	DefaultAdminUser     = "admin"
	DefaultAdminPassword = "magento123"
	// PasswordIterations is the PBKDF2 iteration count of the
	// emulator's passwords: its users are test fixtures, and an admin token
	// or a password confirmation should take milliseconds, not the tenth
	// of a second that [account.DefaultPasswordIterations] costs.
	PasswordIterations = 10_000
)

// Config configures an [Emulator]. Every zero field means the
// default; New copies it.
type Config struct {
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
	Profile signature.Profile
	// JWTSecret signs admin and customer tokens; default random, so tokens
	// do not survive a restart.
	JWTSecret string
	// PasswordIterations is the PBKDF2 iteration count of the admin's and
	// new customers' passwords; default [PasswordIterations].
	PasswordIterations int
	// StoreCodes are the codes of the store views: /rest/<code>/V1/...
	// serves them (and "all"); any other first segment answers 400
	// "Specified request cannot be processed." as in Magento. Default
	// ["default"], the one store view of a fresh install
	// (docs/magento-fidelity.md §1).
	StoreCodes []string
	// TwoFactor enables Magento_TwoFactorAuth, as on a stock 2.4.7 install,
	// with Google Authenticator forced: the admin token route no longer
	// issues tokens, POST /V1/tfa/provider/google/authenticate does, and
	// PUT /rest/V1/emulator/tfa/google sets an admin user's secret
	// (docs/magento-fidelity.md §5). Off by default.
	TwoFactor bool
	// AdminGoogleSecret, with TwoFactor, is the admin user's Google
	// Authenticator secret (Base32), as Magento's bin/magento
	// security:tfa:google:set-secret sets it: without one the admin cannot
	// get a token, and so cannot call the control routes. Never logged.
	AdminGoogleSecret string
	// JournalSize is how many requests the journal keeps, the most recent
	// ones; default [DefaultJournalSize].
	JournalSize int
	// JournalBytes is how many bytes the journal's entries may hold
	// together (their strings, headers and bodies); past it the oldest
	// entries go. Default [DefaultJournalBytes].
	JournalBytes int
	// NoJournalBodies keeps request headers and bodies out of the journal;
	// by default each entry holds them, redacted and cut (see
	// [JournalEntry]).
	NoJournalBodies bool
	// Extensions are third-party modules' routes and ACL resources (see
	// [LoadExtensions]), served beside the core routes; nil for none.
	Extensions *Extensions
	// FreeConfig lets PUT /rest/V1/emulator/config set config paths the
	// emulator does not read; by default such a path is refused (400), as
	// it is most likely a typo.
	FreeConfig bool
	// Unmatched is what an authorised call that no fixture answers gets:
	// [UnmatchedNote] (the default, "") or [UnmatchedError].
	Unmatched string
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
// Magento's REST routes and OAuth endpoints (a [webapi.Server]), the emulator's
// control routes under /rest/V1/integrations and /rest/V1/emulator, the
// success_call_back page, the browser Admin under /admin/ (package
// emulator/admin), and a journal of every request. It is the one
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
//	PUT    /rest/V1/emulator/fixtures              add a fixture (see [fixture.Fixture])
//	GET    /rest/V1/emulator/fixtures              list the fixtures
//	DELETE /rest/V1/emulator/fixtures              delete every fixture
//	GET    /rest/V1/emulator/fixtures/:id          read a fixture
//	DELETE /rest/V1/emulator/fixtures/:id          delete a fixture
//	GET    /rest/V1/emulator/scenarios             scenario states
//	PUT    /rest/V1/emulator/scenarios             set scenario states
//	GET    /rest/V1/emulator/journal               the requests seen (filters)
//	GET    /rest/V1/emulator/journal/count         how many
//	DELETE /rest/V1/emulator/journal               clear the journal
//	POST   /rest/V1/emulator/reset                 forget everything
type Emulator struct {
	stack           *webapi.Stack
	requests        *journal.Journal
	journalBodies   bool           // journal request headers and bodies
	stubs           *fixture.Table // the fixtures
	unmatched       string         // UnmatchedNote or UnmatchedError
	freeConfig      bool           // accept unknown config paths
	admin           *admin.Admin   // the browser Admin under /admin/
	baseURL         string
	basePath        string // the base URL's escaped path, ending in "/"
	requirePassword bool
	now             func() time.Time
	log             *slog.Logger
}

// New assembles an Emulator: the admin user and a [webapi.Stack] over the
// store (store_base_url and success_call_back from BaseURL) whose Server
// also serves the control routes and sends every request to the journal. It
// fails on an invalid BaseURL or when the store or the admin user cannot be
// created.
func New(ctx context.Context, c Config) (*Emulator, error) {
	base, basePath, err := normaliseBaseURL(c.BaseURL)
	if err != nil {
		return nil, err
	}
	routes := append(route.Default(), ControlRoutes()...)
	var tree *acl.Tree // nil: the embedded 2.4.7 tree
	if c.Extensions != nil {
		routes = append(routes, c.Extensions.Routes...)
		tree = c.Extensions.Tree
	}
	switch c.Unmatched {
	case "":
		c.Unmatched = UnmatchedNote
	case UnmatchedNote, UnmatchedError:
	default:
		return nil, fmt.Errorf("emulator: Unmatched %q: want %q or %q", c.Unmatched, UnmatchedNote, UnmatchedError)
	}
	if c.Store == nil {
		st, err := memstore.New()
		if err != nil {
			return nil, fmt.Errorf("emulator: store: %w", err)
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
		c.PasswordIterations = PasswordIterations
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	users := account.NewMemory()
	pw, err := account.NewPassword(c.AdminPassword, c.PasswordIterations)
	if err != nil {
		return nil, err
	}
	if err := users.CreateAdmin(ctx, &account.AdminUser{Username: c.AdminUser, Password: pw, FirstName: "Admin", LastName: "User"}); err != nil {
		return nil, fmt.Errorf("emulator: admin user: %w", err)
	}
	e := &Emulator{
		requests:        journal.New(c.JournalSize, c.JournalBytes),
		journalBodies:   !c.NoJournalBodies,
		stubs:           fixture.NewTable(),
		unmatched:       c.Unmatched,
		freeConfig:      c.FreeConfig,
		baseURL:         base,
		basePath:        basePath,
		requirePassword: c.RequirePassword,
		now:             c.Now,
		log:             c.Logger,
	}
	stack, err := webapi.NewStack(c.Store, webapi.StackConfig{
		Integration: integration.Config{
			Tree:               tree,
			HTTPClient:         c.HTTPClient,
			StoreBaseURL:       base,
			SuccessCallbackURL: base + SuccessCallbackPath,
		},
		OAuth: oauth.Config{Profile: c.Profile, DiagnoseSignatures: !c.NoSignatureDiagnosis},
		Server: webapi.Config{
			Users:              users,
			Routes:             routes,
			StoreCodes:         c.StoreCodes,
			TwoFactor:          twoFactor(c.TwoFactor),
			JWTSecret:          c.JWTSecret,
			PasswordIterations: c.PasswordIterations,
			Observer:           e.observe,
			Fallback:           e.serveFixture,
		},
		Now:    c.Now,
		Logger: c.Logger,
	})
	if err != nil {
		return nil, err
	}
	e.stack = stack
	if c.AdminGoogleSecret != "" {
		if !c.TwoFactor {
			return nil, errors.New("emulator: an admin Google Authenticator secret needs two-factor authentication on")
		}
		if err := stack.Server.SetGoogleSecret(ctx, c.AdminUser, c.AdminGoogleSecret); err != nil {
			return nil, fmt.Errorf("emulator: admin Google Authenticator secret: %w", err)
		}
	}
	if err := e.registerControl(); err != nil {
		return nil, err
	}
	if e.admin, err = e.newAdmin(users); err != nil {
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
		return "", "", fmt.Errorf("emulator: base URL %q: want an absolute http or https URL without query", raw)
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
func (e *Emulator) Server() *webapi.Server { return e.stack.Server }

// Service returns the integration service.
func (e *Emulator) Service() *integration.Service { return e.stack.Service }

// Provider returns the OAuth provider.
func (e *Emulator) Provider() *oauth.Provider { return e.stack.Provider }

// Settings returns the live store configuration; changes apply to the
// next request.
func (e *Emulator) Settings() *settings.Settings { return e.stack.Settings }

// BaseURL returns the store base URL, ending in "/".
func (e *Emulator) BaseURL() string { return e.baseURL }

// SuccessCallbackURL returns the URL of the success_call_back page.
func (e *Emulator) SuccessCallbackURL() string { return e.baseURL + SuccessCallbackPath }

// Journal returns the requests answered, oldest first: the most recent
// ones, at most JournalSize of them holding at most JournalBytes. The
// slice is a copy.
func (e *Emulator) Journal() []journal.Entry { return e.requests.List() }

// Reset forgets every integration (with its consumer, tokens and nonces),
// customer, fixture, config value (back to Magento's defaults), sign-in
// failure, token revocation and journal entry. The admin user stays, and
// so do admin tokens already issued. A failure of the store leaves the rest
// untouched and is returned.
func (e *Emulator) Reset(ctx context.Context) error {
	if err := e.stack.Service.Reset(ctx); err != nil {
		return fmt.Errorf("emulator: reset: %w", err)
	}
	if err := e.stack.Server.Reset(ctx); err != nil {
		return fmt.Errorf("emulator: reset: %w", err)
	}
	e.stack.Settings.Reset()
	e.admin.Reset()
	e.requests.Reset()
	e.stubs.Reset()
	e.log.InfoContext(ctx, "emulator reset")
	return nil
}

// ServeHTTP answers r: the success_call_back page, else the [webapi.Server]. A
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
	if r.URL.Path == HealthPath {
		e.serveHealth(w, r)
		return
	}
	if e.isAdmin(r) {
		e.admin.ServeHTTP(w, r)
		return
	}
	if e.journalBodies {
		r = journal.Capture(r)
	}
	e.stack.Server.ServeHTTP(w, r)
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
func (e *Emulator) observe(ev webapi.Event) {
	if ev.Outcome == webapi.OutcomeHandler && isControlRoute(ev.Route) {
		return
	}
	entry := journal.FromEvent(ev)
	entry.SetRequest(ev.Request)
	e.requests.Add(entry)
}

// errNoAdmin is returned when the admin user vanished from the user store.
var errNoAdmin = errors.New("emulator: the calling admin user does not exist")

// twoFactor returns a new TwoFactor when on, else nil.
func twoFactor(on bool) *twofactor.Google {
	if !on {
		return nil
	}
	return twofactor.NewGoogle()
}
