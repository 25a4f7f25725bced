package webapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/user"
)

// authenticate resolves the caller of r as Magento's REST user contexts do,
// in their order (docs/magento-behaviour.md §7.1): the Bearer context (admin and customer
// tokens, and integration access tokens when enabled), whose failures are
// swallowed; then the OAuth context, whose failures are the answer; then
// the guest. A verified consumer is the caller only while its integration is
// Active (docs/magento-behaviour.md §7.3); otherwise the caller is a guest.
func (s *Server) authenticate(r *http.Request) (Caller, error) {
	ctx := r.Context()
	if h := r.Header["Authorization"]; len(h) > 0 {
		if c, ok := s.bearer(ctx, h[0]); ok {
			return c, nil
		}
	}
	g, err := s.provider.Verify(ctx, r)
	switch {
	case errors.Is(err, oauth.ErrNotOAuth):
		return guest, nil
	case err != nil:
		return guest, err
	}
	in, set, err := s.service.IdentityOf(ctx, g)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return guest, nil
	case err != nil:
		return guest, err
	case in.Status != integration.StatusActive:
		return guest, nil
	}
	return Caller{Type: user.Integration, ID: in.ID, ConsumerID: g.ConsumerID, Credential: CredentialOAuth, Role: set}, nil
}

// bearer is Magento's TokenUserContext (docs/magento-behaviour.md §7.5): the header split on
// single spaces must give exactly two pieces, the first "bearer" in any
// case. The opaque reader then maps an integration's token to the
// integration (whatever its status or the token's type) when
// enable_integration_as_bearer is on, and the JWT reader maps an admin or
// customer token to its user. ok is false when no reader succeeds; the
// reason is not reported, as Magento swallows it.
func (s *Server) bearer(ctx context.Context, h string) (Caller, bool) {
	scheme, token, found := strings.Cut(h, " ")
	if !found || strings.IndexByte(token, ' ') >= 0 || !strings.EqualFold(scheme, "bearer") {
		return Caller{}, false
	}
	// Integration tokens are 32 characters without dots: a JWT never
	// matches one, so each token is given to the one reader that can take it.
	if len(token) == oauth.CredentialLength {
		if !s.settings.IntegrationAsBearer() {
			return Caller{}, false // Magento: "Invalid token found"
		}
		return s.integrationBearer(ctx, token)
	}
	return s.userToken(ctx, token)
}

// integrationBearer is the opaque reader for an integration's token.
func (s *Server) integrationBearer(ctx context.Context, token string) (Caller, bool) {
	t, err := s.store.TokenByValue(ctx, token)
	if err != nil || t.Revoked || t.UserType != user.Integration {
		return Caller{}, false
	}
	in, set, err := s.service.Identity(ctx, t.ConsumerID)
	if err != nil {
		return Caller{}, false
	}
	return Caller{Type: user.Integration, ID: in.ID, ConsumerID: t.ConsumerID, Credential: CredentialIntegrationBearer, Role: set}, true
}

// userToken is the JWT reader with its expiry and revocation validators.
// The user must still exist and, for an admin, be active: Magento revokes
// the tokens of deleted and deactivated users.
func (s *Server) userToken(ctx context.Context, token string) (Caller, bool) {
	u, err := s.tokens.Read(token)
	if err != nil {
		return Caller{}, false
	}
	switch u.Type {
	case user.Admin:
		a, err := s.users.Admin(ctx, u.ID)
		if err != nil || a.Inactive {
			return Caller{}, false
		}
		return Caller{Type: user.Admin, ID: a.ID, Credential: CredentialAdminToken, Role: s.adminSet}, true
	case user.Customer:
		c, err := s.users.Customer(ctx, u.ID)
		if err != nil {
			return Caller{}, false
		}
		return Caller{Type: user.Customer, ID: c.ID, Credential: CredentialCustomerToken}, true
	}
	return Caller{}, false
}
