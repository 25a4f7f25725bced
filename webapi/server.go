package webapi

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/twofactor"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi/internal/jwtauth"
	"github.com/magekit/magekit/webapi/internal/lockout"
	"github.com/magekit/magekit/webapi/route"
)

// MinJWTSecret is the least length, in bytes besides white space, of a
// given JWT secret: HS256 wants a key at least as long as its 32-byte
// output, and a blank one would let anyone forge admin tokens.
const MinJWTSecret = 32

// Config holds a [Server]'s dependencies and settings. Store, Service and
// Provider are required; every other zero field means the default. New
// copies the Config; later changes to it have no effect.
type Config struct {
	// Store holds the integrations and their OAuth rows; the bearer context
	// reads integration access tokens from it. Required.
	Store integration.Store
	// Service maps a consumer to its integration and compiled grant.
	// Required.
	Service *integration.Service
	// Provider verifies signed requests and serves /oauth/token/request and
	// /oauth/token/access. Its profile decides the token answers, and its
	// offloader header (oauth.Config.OffloaderHeader) whether a request
	// came over https. Required.
	Provider *oauth.Provider
	// Tree is the ACL tree admin users' "all resources" role is compiled
	// against; default acl.Default().
	Tree *acl.Tree
	// Users holds the admin users and customers of the token services;
	// default an empty [account.Memory].
	Users account.Store
	// Settings is the live store configuration; default [settings.New]. Pass
	// the same value to the Provider and the Service so that all three read
	// one configuration.
	Settings *settings.Settings
	// Routes is the REST route table; default [route.Default]. A host adds
	// routes of its own by appending to route.Default().
	Routes []route.Route
	// StoreCodes are the codes of the store views, the admin store
	// excluded: the first segment of /rest/<segment>/V1/... is removed
	// only when it is one of them (exactly) or "all"; any other segment
	// stays in the path, which no request processor takes, and the call
	// answers 400 "Specified request cannot be processed."
	// (docs/magento-fidelity.md §1). Default: "default", the one store view
	// of a fresh install. Each code must be a valid Magento store code
	// (a letter, then letters, digits or '_') other than "admin".
	StoreCodes []string
	// TwoFactor, when set, enables Magento_TwoFactorAuth with Google
	// Authenticator forced: POST /V1/integration/admin/token no longer
	// issues tokens, and the providers' token routes answer as Magento's
	// (docs/magento-fidelity.md §5). Nil: the module is disabled.
	TwoFactor *twofactor.Google
	// JWTSecret is the deployment secret (at least [MinJWTSecret] bytes
	// besides white space; New refuses a shorter one) admin and customer tokens are
	// signed with, as Magento's crypt/key (several keys separated by
	// whitespace: the last signs). Default: a random secret, so tokens do
	// not survive a restart.
	JWTSecret string
	// PasswordIterations is the PBKDF2 iteration count of the passwords the
	// Server hashes (new customers); default [account.DefaultPasswordIterations].
	PasswordIterations int
	// Observer, when set, is called once per request after the answer is
	// written, on the request's goroutine. It must be safe for concurrent
	// use and should be quick.
	Observer func(Event)
	// Fallback, when set, is offered an authorised call of a route that
	// has neither a fixture nor a handler before the note that no fixture
	// is set: the emulator's matching fixtures answer there. It runs as a
	// handler does (see [Server.Handle]), may set the request's outcome
	// with [SetOutcome], and returns false, having written nothing, to
	// leave the call to the note.
	Fallback func(w http.ResponseWriter, r *http.Request) bool
	// NotFound answers requests outside /rest and /oauth/token; default a
	// 404 with Magento's "Request does not match any route." body.
	NotFound http.Handler
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Rand is the source of the default JWT secret; default crypto/rand.
	Rand io.Reader
	// Logger receives internal errors with their report ids; default
	// discards. Secrets and tokens are never logged.
	Logger *slog.Logger
}

// Server is Magento's REST Web API: the route table under /rest/V1,
// /rest/<store_code>/V1 and /rest/all/V1, the user-context chain, the ACL
// check of each route, Magento's error answers, the admin and customer token
// services and customer sign-up, plus /oauth/token/request and
// /oauth/token/access. An authorised call answers the route's fixture, its
// handler, or a JSON note that no fixture is set. A Server is an
// http.Handler, safe for concurrent use.
type Server struct {
	store    integration.Store
	service  *integration.Service
	provider *oauth.Provider
	users    account.Store
	settings *settings.Settings
	router   *route.Table
	stores   map[string]bool   // the store views' codes
	tfa      *twofactor.Google // nil: Magento_TwoFactorAuth disabled
	tokens   *jwtauth.Tokens
	throttle *lockout.Throttler
	adminSet *acl.Set
	iters    int
	observe  func(Event)
	fallback func(http.ResponseWriter, *http.Request) bool
	notFound http.Handler
	now      func() time.Time
	log      *slog.Logger

	fixtures []atomic.Pointer[Fixture]      // by route id
	handlers []atomic.Pointer[http.Handler] // by route id

	dummyOnce sync.Once
	dummy     account.Password // compared against when a user is unknown
}

// New returns a Server configured by c. It fails when a required
// dependency is missing, the route table is invalid, or the default JWT
// secret cannot be drawn.
func New(c Config) (*Server, error) {
	if c.Store == nil || c.Service == nil || c.Provider == nil {
		return nil, errors.New("webapi: Config.Store, Config.Service and Config.Provider are required")
	}
	if c.Tree == nil {
		c.Tree = acl.Default()
	}
	if c.Users == nil {
		c.Users = account.NewMemory()
	}
	if c.Settings == nil {
		c.Settings = settings.New()
	}
	if c.Routes == nil {
		c.Routes = route.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.PasswordIterations <= 0 {
		c.PasswordIterations = account.DefaultPasswordIterations
	}
	if c.JWTSecret != "" && len(strings.TrimSpace(c.JWTSecret)) < MinJWTSecret {
		return nil, fmt.Errorf("webapi: the JWT secret has %d bytes besides white space; it needs at least %d, or anyone could forge admin tokens", len(strings.TrimSpace(c.JWTSecret)), MinJWTSecret)
	}
	if c.JWTSecret == "" {
		secret, err := jwtauth.RandomSecret(c.Rand)
		if err != nil {
			return nil, err
		}
		c.JWTSecret = secret
	}
	rt, err := route.NewTable(c.Routes)
	if err != nil {
		return nil, err
	}
	adminSet, err := c.Tree.Compile(acl.Grant{All: true})
	if err != nil {
		return nil, err
	}
	s := &Server{
		store:    c.Store,
		service:  c.Service,
		provider: c.Provider,
		users:    c.Users,
		settings: c.Settings,
		router:   rt,
		tokens:   jwtauth.New(c.JWTSecret, c.Now),
		throttle: lockout.New(),
		adminSet: adminSet,
		iters:    c.PasswordIterations,
		observe:  c.Observer,
		fallback: c.Fallback,
		notFound: c.NotFound,
		now:      c.Now,
		log:      c.Logger,
		tfa:      c.TwoFactor,
		fixtures: make([]atomic.Pointer[Fixture], rt.Len()),
		handlers: make([]atomic.Pointer[http.Handler], rt.Len()),
	}
	if s.stores, err = storeSet(c.StoreCodes); err != nil {
		return nil, err
	}
	s.registerBuiltins()
	if s.tfa != nil {
		s.registerTwoFactor()
	}
	return s, nil
}

// Settings returns the live configuration the Server reads.
func (s *Server) Settings() *settings.Settings { return s.settings }

// Users returns the store of admin users and customers.
func (s *Server) Users() account.Store { return s.users }

// Routes returns a copy of the route table, in the order it was given.
func (s *Server) Routes() []route.Route {
	return s.router.Routes()
}

// RevokeTokens revokes every admin or customer token of the user issued up
// to now, as Magento's RevokedRepository does when a user is deactivated or
// deleted (docs/magento-behaviour.md §13.1, §13.4). userType is user.Admin or
// user.Customer.
func (s *Server) RevokeTokens(userType user.Type, userID int64) {
	s.tokens.Revoke(jwtauth.User{Type: userType, ID: userID})
}

// Reset forgets every fixture, sign-in failure and token revocation and,
// when the user store implements [account.CustomerResetter], every
// customer. Admin users, their Google Authenticator secrets, handlers and
// settings stay.
func (s *Server) Reset(ctx context.Context) error {
	for i := range s.fixtures {
		s.fixtures[i].Store(nil)
	}
	s.throttle.Reset()
	s.tokens.Reset()
	if cr, ok := s.users.(account.CustomerResetter); ok {
		return cr.DeleteCustomers(ctx)
	}
	return nil
}

// DefaultStoreCode is the code of the one store view of a fresh Magento
// install.
const DefaultStoreCode = "default"

// storeSet checks codes and returns them as a set; nil codes mean
// [DefaultStoreCode].
func storeSet(codes []string) (map[string]bool, error) {
	if codes == nil {
		codes = []string{DefaultStoreCode}
	}
	set := make(map[string]bool, len(codes))
	for _, code := range codes {
		if err := ValidStoreCode(code); err != nil {
			return nil, err
		}
		set[code] = true
	}
	return set, nil
}

// ValidStoreCode returns an error unless code can name a store view:
// Magento's StoreCodeValidator pattern (a letter, then letters, digits or
// '_'), and not "admin", the code of the admin store (id 0), which
// Magento's REST path processor never takes.
func ValidStoreCode(code string) error {
	ok := code != "" && isLetter(code[0])
	for i := 1; ok && i < len(code); i++ {
		ok = isWord(code[i])
	}
	switch {
	case !ok:
		return fmt.Errorf("webapi: store code %q: the store code may contain only letters (a-z), numbers (0-9) or underscore (_), and the first character must be a letter", code)
	case code == adminStoreCode:
		return fmt.Errorf("webapi: store code %q is the admin store's, which REST paths never name", code)
	}
	return nil
}

// adminStoreCode is the code of Magento's admin store (id 0).
const adminStoreCode = "admin"

// StoreCodes returns the store views' codes the Server strips from REST
// paths, sorted.
func (s *Server) StoreCodes() []string {
	return slices.Sorted(maps.Keys(s.stores))
}

// isStoreCode reports whether seg is removed from /rest/<seg>/V1 as
// Magento's Webapi\Controller\PathProcessor::process removes it: a store
// view's code (getStores(false, true): the admin store left out, compared
// exactly) or "all".
func (s *Server) isStoreCode(seg string) bool {
	return seg == "all" || s.stores[seg]
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isWord reports whether c is in PCRE's \w without the u flag.
func isWord(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '_' }

// secure reports whether r came over https as Magento's Request::isSecure
// decides (docs/magento-behaviour.md §7.3).
func (s *Server) secure(r *http.Request) bool {
	return signature.IsHTTPS(r, s.provider.OffloaderHeader())
}
