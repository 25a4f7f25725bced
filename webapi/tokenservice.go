package webapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi/internal/lockout"
)

// The routes of the built-in services.
const (
	routeAdminToken    = "/V1/integration/admin/token"
	routeCustomerToken = "/V1/integration/customer/token"
	routeCustomers     = "/V1/customers"
	routeCustomerMe    = "/V1/customers/me"
	routeRevokeToken   = "/V1/integration/customer/revoke-customer-token"
)

// registerBuiltins installs the services this package implements on their
// routes, when the table has them.
func (s *Server) registerBuiltins() {
	for _, b := range []struct {
		method, url string
		h           http.HandlerFunc
	}{
		{"POST", routeAdminToken, s.tokenService(user.Admin)},
		{"POST", routeCustomerToken, s.tokenService(user.Customer)},
		{"POST", routeCustomers, s.createCustomer},
		{"GET", routeCustomerMe, s.customerMe},
		{"POST", routeRevokeToken, s.revokeCustomerToken},
	} {
		_ = s.Handle(b.method, b.url, b.h) // absent from a custom table: no service
	}
}

// tokenService is Magento's AdminTokenService::createAdminAccessToken or
// CustomerTokenService::createCustomerAccessToken (docs/magento-behaviour.md §13.2, §13.3):
// credentials validation, the throttler's lock, the sign-in, then a JWT
// answered as a JSON string. Every sign-in failure, and every attempt while
// locked, is the same 401.
func (s *Server) tokenService(typ user.Type) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, token, _, ok := s.issueToken(w, r, typ); ok {
			f, _, _ := negotiate(r.Header.Get("Accept"))
			s.write(w, f, http.StatusOK, token)
		}
	}
}

// issueToken runs the token service of typ on r's body and returns the
// user's id, the token and the decoded body. On failure it has answered
// the error and ok is false.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, typ user.Type) (id int64, token string, body map[string]json.RawMessage, ok bool) {
	ttl := s.settings.AdminJWTLifetime
	if typ == user.Customer {
		ttl = s.settings.CustomerJWTLifetime
	}
	body, err := BodyParams(r)
	if err != nil {
		s.WriteError(w, r, err)
		return 0, "", nil, false
	}
	username, password := stringParam(body["username"]), stringParam(body["password"])
	var missing []*magerr.Error
	if username == "" {
		missing = append(missing, magerr.Required("username"))
	}
	if password == "" {
		missing = append(missing, magerr.Required("password"))
	}
	if e := magerr.Join(missing...); e != nil {
		s.WriteError(w, r, e)
		return 0, "", nil, false
	}
	k := lockout.NewKey(typ, username)
	now := s.now()
	if s.throttle.Locked(k, now, s.settings.MaxFailures()) {
		s.WriteError(w, r, errSignInFailed)
		return 0, "", nil, false
	}
	id, signedIn := s.signIn(r.Context(), typ, username, password)
	if !signedIn {
		s.throttle.Fail(k, now, s.settings.LockTimeout())
		s.WriteError(w, r, errSignInFailed)
		return 0, "", nil, false
	}
	s.throttle.Succeed(k)
	token, err = s.tokens.Issue(typ, id, ttl())
	if err != nil {
		s.WriteError(w, r, err)
		return 0, "", nil, false
	}
	return id, token, body, true
}

// signIn checks the credentials of an admin user (by username) or a
// customer (by email) and returns the user's id. An unknown user costs the
// same hashing as a known one.
func (s *Server) signIn(ctx context.Context, typ user.Type, username, password string) (int64, bool) {
	var (
		id       int64
		hash     account.Password
		inactive bool
		err      error
	)
	if typ == user.Admin {
		var a account.AdminUser
		a, err = s.users.AdminByUsername(ctx, username)
		id, hash, inactive = a.ID, a.Password, a.Inactive
	} else {
		var c account.Customer
		c, err = s.users.CustomerByEmail(ctx, username)
		id, hash = c.ID, c.Password
	}
	if err != nil {
		s.log.DebugContext(ctx, "webapi: sign-in failed", "user_type", int(typ), "err", err)
		s.dummyOnce.Do(func() { s.dummy, _ = account.NewPassword("", s.iters) })
		s.dummy.Match(password)
		return 0, false
	}
	return id, hash.Match(password) && !inactive
}

// revokeCustomerToken is CustomerTokenService::revokeCustomerAccessToken
// behind POST /V1/integration/customer/revoke-customer-token, whose
// customerId is forced to the caller's: a customer's tokens issued up to
// now stop working. A caller that is no customer never gets here: its
// forced customerId is null, which the required-parameter check refuses
// (docs/magento-fidelity.md §3); the check below keeps a handler called
// from elsewhere harmless. The answer is true.
func (s *Server) revokeCustomerToken(w http.ResponseWriter, r *http.Request) {
	if caller, _ := CallerFromContext(r.Context()); caller.Type == user.Customer {
		s.RevokeTokens(user.Customer, caller.ID)
	}
	f, _, _ := negotiate(r.Header.Get("Accept"))
	s.write(w, f, http.StatusOK, true)
}
