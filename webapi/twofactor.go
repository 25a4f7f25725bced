package webapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi/internal/wire"
)

// Magento_TwoFactorAuth's messages (docs/magento-fidelity.md §5), exactly
// as Magento 2.4.7 writes them.
const (
	msgTFAUseProviders          = "Please use the 2fa provider-specific endpoints to obtain a token."
	msgTFAConfigure             = "You are required to configure personal Two-Factor Authorization in order to login. Please check your email."
	msgTFAProviderNotAllowed    = "Provider is not allowed."
	msgTFAProviderNotConfigured = "Provider is not configured."
	msgTFAInvalidCode           = "Invalid code."
)

// The token routes of Magento_TwoFactorAuth's webapi.xml.
const routeGoogleAuthenticate = "/V1/tfa/provider/google/authenticate"

// otherProviderRoutes are the token routes of the Authy, Duo Security and
// U2F providers, which are never forced here.
var otherProviderRoutes = [...]string{
	"/V1/tfa/provider/authy/authenticate",
	"/V1/tfa/provider/authy/send-token/:via",
	"/V1/tfa/provider/authy/authenticate-onetouch",
	"/V1/tfa/provider/u2fkey/authentication-challenge",
	"/V1/tfa/provider/u2fkey/verify",
	"/V1/tfa/provider/duo_security/get-authentication-data",
	"/V1/tfa/provider/duo_security/authenticate",
}

// registerTwoFactor installs Magento_TwoFactorAuth's services over the
// plain admin token service, when the table has their routes.
func (s *Server) registerTwoFactor() {
	_ = s.Handle("POST", routeAdminToken, http.HandlerFunc(s.tfaAdminToken))
	_ = s.Handle("POST", routeGoogleAuthenticate, http.HandlerFunc(s.googleAuthenticate))
	for _, url := range otherProviderRoutes {
		_ = s.Handle("POST", url, http.HandlerFunc(s.providerNotAllowed))
	}
}

// tfaAdminToken is AdminAccessTokenService::createAdminAccessToken: the
// plain service checks the credentials (its errors are the answer), its
// token is dropped, and the caller is sent to the provider routes, or told
// to configure two-factor authentication first.
func (s *Server) tfaAdminToken(w http.ResponseWriter, r *http.Request) {
	id, _, _, ok := s.issueToken(w, r, user.Admin)
	if !ok {
		return
	}
	if s.tfa.Configured(id) {
		s.writeTFAError(w, r, msgTFAUseProviders, wire.Object{{Key: "active_providers", Value: wire.List{"google"}}})
		return
	}
	s.writeTFAError(w, r, msgTFAConfigure, wire.Object{{Key: "providers", Value: wire.List{"google"}}, {Key: "active_providers", Value: wire.List{}}})
}

// googleAuthenticate is Google\Authenticate::createAdminAccessToken: the
// credentials, then the provider's configuration for the user, then the
// code against the user's secret; the admin token when all pass.
func (s *Server) googleAuthenticate(w http.ResponseWriter, r *http.Request) {
	id, token, body, ok := s.issueToken(w, r, user.Admin)
	if !ok {
		return
	}
	if !s.tfa.Configured(id) {
		s.WriteError(w, r, magerr.New(magerr.Input, msgTFAProviderNotConfigured))
		return
	}
	otp := stringParam(body["otp"])
	if otp == "" || !s.tfa.Check(id, otp, s.now()) {
		s.WriteError(w, r, magerr.New(magerr.Authorization, msgTFAInvalidCode))
		return
	}
	f, _, _ := negotiate(r.Header.Get("Accept"))
	s.write(w, f, http.StatusOK, token)
}

// providerNotAllowed is the token route of a provider that is not forced:
// the credentials, then UserAuthenticator::assertProviderIsValidForUser.
func (s *Server) providerNotAllowed(w http.ResponseWriter, r *http.Request) {
	if _, _, _, ok := s.issueToken(w, r, user.Admin); ok {
		s.WriteError(w, r, magerr.New(magerr.Input, msgTFAProviderNotAllowed))
	}
}

// writeTFAError answers a LocalizedException whose phrase has named array
// arguments, which Magento renders as JSON arrays: 400, the message and
// params. The request's event records the message.
func (s *Server) writeTFAError(w http.ResponseWriter, r *http.Request, msg string, params wire.Object) {
	f, _, _ := negotiate(r.Header.Get("Accept"))
	s.write(w, f, http.StatusBadRequest, wire.Object{{Key: "message", Value: msg}, {Key: "parameters", Value: params}})
	if ri, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		ri.err = magerr.New(magerr.Input, msg)
	}
}

// errNoTwoFactor is returned by the two-factor accessors of a Server
// without two-factor authentication.
var errNoTwoFactor = errors.New("webapi: two-factor authentication is off")

// SetGoogleSecret configures Google Authenticator for the admin user named
// username (see [twofactor.Google.SetSecret]). It fails when the Server has
// no [Config.TwoFactor], the user does not exist (store.ErrNotFound,
// wrapped), or the secret is not Base32.
func (s *Server) SetGoogleSecret(ctx context.Context, username, secret string) error {
	if s.tfa == nil {
		return errNoTwoFactor
	}
	a, err := s.users.AdminByUsername(ctx, username)
	if err != nil {
		return err
	}
	return s.tfa.SetSecret(a.ID, secret)
}

// TwoFactorOn reports whether Magento_TwoFactorAuth is enabled.
func (s *Server) TwoFactorOn() bool { return s.tfa != nil }
