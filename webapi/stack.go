package webapi

import (
	"errors"
	"log/slog"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/settings"
)

// StackConfig configures [NewStack]. Its zero value is a working stack with
// Magento's defaults.
type StackConfig struct {
	// Settings is the live store configuration the three parts read;
	// default settings.New().
	Settings *settings.Settings
	// Integration configures the Service. NewStack sets PostTimeout and
	// PostMaxRedirects to the Settings' accessors when nil.
	Integration integration.Config
	// OAuth configures the Provider. NewStack sets ConsumerExpiry,
	// CleanupProbability and CleanupExpiration to the Settings' accessors,
	// and OnAccess to the Service's (the integration becomes Active with
	// the access-token exchange), when nil.
	OAuth oauth.Config
	// Server configures the REST server. NewStack sets its Store, Service,
	// Provider and Settings; the profile and the offloader header come
	// from OAuth.
	Server Config
	// Now and Logger are the defaults of the three parts' Now and Logger
	// fields left nil; defaults time.Now and a logger that discards.
	Now    func() time.Time
	Logger *slog.Logger
}

// Stack is the whole library wired over one store: the live [settings],
// the integration Service, the OAuth Provider and the REST [Server], each
// reading the others as Magento's modules do. It is how to embed the whole
// stack; the emulator is one on top of it.
type Stack struct {
	Store    integration.Store
	Settings *settings.Settings
	Service  *integration.Service
	Provider *oauth.Provider
	Server   *Server
}

// NewStack wires st, the settings, a Service, a Provider and a Server
// together, as configured by c. The caller keeps st and closes it after
// use. It fails as [New] fails.
//
//	st, _ := memstore.New()
//	stack, err := webapi.NewStack(st, webapi.StackConfig{})
//	http.ListenAndServe("127.0.0.1:8080", stack.Server)
func NewStack(st integration.Store, c StackConfig) (*Stack, error) {
	if st == nil {
		return nil, errors.New("webapi: NewStack needs a store")
	}
	if c.Settings == nil {
		c.Settings = settings.New()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	ic := c.Integration
	if ic.Now == nil {
		ic.Now = c.Now
	}
	if ic.Logger == nil {
		ic.Logger = c.Logger
	}
	if ic.PostTimeout == nil {
		ic.PostTimeout = c.Settings.PostTimeout
	}
	if ic.PostMaxRedirects == nil {
		ic.PostMaxRedirects = c.Settings.PostMaxRedirects
	}
	svc := integration.NewService(st, ic)

	oc := c.OAuth
	if oc.Now == nil {
		oc.Now = c.Now
	}
	if oc.Logger == nil {
		oc.Logger = c.Logger
	}
	if oc.ConsumerExpiry == nil {
		oc.ConsumerExpiry = c.Settings.ConsumerExpiration
	}
	if oc.CleanupProbability == nil {
		oc.CleanupProbability = c.Settings.CleanupProbability
	}
	if oc.CleanupExpiration == nil {
		oc.CleanupExpiration = c.Settings.CleanupExpiration
	}
	if oc.OnAccess == nil {
		oc.OnAccess = svc.OnAccess
	}
	p := oauth.NewProvider(st, oc)

	sc := c.Server
	sc.Store, sc.Service, sc.Provider, sc.Settings = st, svc, p, c.Settings
	if sc.Now == nil {
		sc.Now = c.Now
	}
	if sc.Logger == nil {
		sc.Logger = c.Logger
	}
	srv, err := New(sc)
	if err != nil {
		return nil, err
	}
	return &Stack{Store: st, Settings: c.Settings, Service: svc, Provider: p, Server: srv}, nil
}
