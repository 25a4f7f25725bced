package admin

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/magekit/magekit/integration"
)

// Prefix is the path, below the store base URL, of everything the Admin
// serves: Magento's default backend front name "admin".
const Prefix = "admin/"

// SuccessCallbackPath is the path, below the base URL, of
// adminhtml/integration/loginSuccessCallback, the success_call_back that
// the identity link receives (docs/magento-admin.md §4.4).
const SuccessCallbackPath = "admin/admin/integration/loginSuccessCallback/"

// User is an admin user as the Admin knows it.
type User struct {
	ID       int64
	Username string
}

// Users checks admin users' passwords: the sign-in form and the "Your
// Password" confirmation. Implementations must be safe for concurrent use.
type Users interface {
	// VerifyAdmin checks password against the admin user named username
	// (case-insensitive). ok is false for an unknown or inactive user or a
	// wrong password; the returned User has a zero ID when no such user
	// exists. err is reserved for a failing store.
	VerifyAdmin(ctx context.Context, username, password string) (u User, ok bool, err error)
}

// Settings is the live store configuration the control routes read and
// write. Implementations must be safe for concurrent use.
type Settings interface {
	// All returns a copy of every config path and its value.
	All() map[string]string
	// Set stores the given paths together, or none of them when one is
	// invalid; the error is then a *magerr.Error whose text can be shown.
	Set(values map[string]string) error
}

// Event is one request the Admin answered, for the journal. It holds no
// secret: no query, no form value, no cookie.
type Event struct {
	Time     time.Time
	Method   string
	Path     string // escaped path as received
	Action   string // "integration/save", "auth/login", ...
	UserID   int64  // 0 when nobody is signed in
	Username string
	Status   int
	// Message is the error shown to the admin, if any (a Magento message,
	// never a secret).
	Message string
}

// Recorder receives an Event per request. It must be safe for concurrent
// use and must not block.
type Recorder interface {
	RecordAdmin(Event)
}

// Config configures an [Admin]. Integrations, Users and Settings are
// required; every other zero field means the default.
type Config struct {
	// BaseURL is the store base URL ending in "/" (a missing "/" is
	// added); every link the Admin writes starts with it. Default
	// "http://localhost/".
	BaseURL string
	// Integrations is the integration service the control routes use.
	Integrations *integration.Service
	// Users checks admin passwords.
	Users Users
	// Settings is the store configuration.
	Settings Settings
	// Lockout counts admin password failures; default a new Lockout over
	// Settings (when it has a Value method) and Now. Share it with any
	// other admin password check.
	Lockout *Lockout
	// Journal receives one Event per request; default none.
	Journal Recorder
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Rand is the source of session ids and form keys; default
	// crypto/rand.
	Rand io.Reader
	// MaxSessions bounds the signed-in sessions kept; the oldest is
	// dropped past it. Default 1024.
	MaxSessions int
	// Logger receives operational logs; default discards.
	Logger *slog.Logger
}

// Admin is Magento's Admin for integrations: sign-in, System › Extensions ›
// Integrations and Stores › Configuration's Web API, OAuth and Admin
// security settings, served below /admin/. It is an http.Handler, safe for
// concurrent use.
type Admin struct {
	cfg      Config
	base     string // BaseURL
	basePath string // BaseURL's escaped path, ending in "/"
	svc      *integration.Service
	sessions *sessions
	lockout  *Lockout
	pages    map[string]*template.Template
	static   staticFiles
}

//go:embed assets
var assets embed.FS

// New returns an Admin for c. It fails when a required dependency is
// missing or BaseURL is not an absolute http(s) URL.
func New(c Config) (*Admin, error) {
	if c.Integrations == nil || c.Users == nil || c.Settings == nil {
		return nil, errors.New("admin: Integrations, Users and Settings are required")
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost/"
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("admin: base URL %q: want an absolute http or https URL", c.BaseURL)
	}
	if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	basePath := u.EscapedPath()
	if !strings.HasSuffix(basePath, "/") {
		basePath += "/"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = 1024
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Lockout == nil {
		var reader ConfigReader
		if r, ok := c.Settings.(ConfigReader); ok {
			reader = r
		}
		c.Lockout = NewLockout(reader, c.Now)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	static, err := newStatic()
	if err != nil {
		return nil, err
	}
	return &Admin{
		cfg:      c,
		base:     c.BaseURL,
		basePath: basePath,
		svc:      c.Integrations,
		sessions: newSessions(c.MaxSessions),
		lockout:  c.Lockout,
		pages:    pages,
		static:   static,
	}, nil
}

// Lockout returns the admin-user lockout counters the Admin uses.
func (a *Admin) Lockout() *Lockout { return a.lockout }

// URL returns the absolute URL of the admin path p ("admin/integration/").
func (a *Admin) URL(p string) string { return a.base + Prefix + p }

// Handles reports whether the request path (below the base URL) is the
// Admin's.
func Handles(path string) bool {
	return path == "/"+strings.TrimSuffix(Prefix, "/") || strings.HasPrefix(path, "/"+Prefix)
}

// staticFiles serves the embedded stylesheet and script, and nothing
// else.
type staticFiles map[string][]byte

// newStatic reads the embedded assets.
func newStatic() (staticFiles, error) {
	files := make(staticFiles)
	for _, name := range []string{"admin.css", "admin.js"} {
		b, err := assets.ReadFile("assets/static/" + name)
		if err != nil {
			return nil, fmt.Errorf("admin: assets: %w", err)
		}
		files[name] = b
	}
	return files, nil
}

func (s staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/"+Prefix+"static/")
	b, ok := s[name]
	if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
