package webapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi/route"

	"github.com/magekit/magekit/acl"
)

// Credential says how a caller proved who it is.
type Credential uint8

// The credentials of Magento's REST user contexts (docs/magento-behaviour.md §7.1).
const (
	// CredentialNone: no credential, or one that failed and was swallowed.
	CredentialNone Credential = iota
	// CredentialOAuth: an OAuth 1.0a signed request (OauthUserContext).
	CredentialOAuth
	// CredentialIntegrationBearer: an integration's access token sent as a
	// Bearer token, with oauth/consumer/enable_integration_as_bearer on.
	CredentialIntegrationBearer
	// CredentialAdminToken: an admin token from /V1/integration/admin/token.
	CredentialAdminToken
	// CredentialCustomerToken: a customer token from
	// /V1/integration/customer/token.
	CredentialCustomerToken
)

var credentialNames = [...]string{"none", "oauth", "integration-bearer", "admin-token", "customer-token"}

// String returns "none", "oauth", "integration-bearer", "admin-token" or
// "customer-token".
func (c Credential) String() string {
	if int(c) < len(credentialNames) {
		return credentialNames[c]
	}
	return "unknown"
}

// Caller is who a REST request is made for, as Magento's user context
// resolves it: a guest, an integration, an admin user or a customer.
type Caller struct {
	// Type is the kind of user; user.Guest for a guest.
	Type user.Type
	// ID is the integration id, the admin user id or the customer id; 0
	// for a guest.
	ID int64
	// ConsumerID is an integration's OAuth consumer; 0 for other callers.
	ConsumerID int64
	// Credential is how the caller authenticated.
	Credential Credential
	// Role is the caller's ACL role: an integration's compiled grant, every
	// resource for an admin user, nil (no role) for guests and customers.
	Role *acl.Set
}

// guest is the caller of a request without a usable credential.
var guest = Caller{Type: user.Guest}

// requestInfo is what a route handler learns about its request.
type requestInfo struct {
	caller   Caller
	route    *route.Entry
	pathInfo string
	// params are the decoded body parameters of a POST or PUT, when
	// bodyRead.
	params   map[string]json.RawMessage
	bodyRead bool
	// err is the error the handler answered through [Server.WriteError],
	// for the request's Event.
	err *magerr.Error
	// outcome, when set with [SetOutcome], replaces OutcomeHandler in the
	// request's Event.
	outcome Outcome
}

// SetOutcome records how a route handler (or the Config.Fallback) answered
// r, for the request's [Event]: OutcomeFixture when it answered a canned
// body, say. Outside a handler it does nothing.
func SetOutcome(r *http.Request, o Outcome) {
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		info.outcome = o
	}
}

type infoKey struct{}

// CallerFromContext returns the caller of the REST request whose context
// is ctx, as the [Server] resolved it before calling a handler registered
// with [Server.Handle]. ok is false outside such a handler.
func CallerFromContext(ctx context.Context) (Caller, bool) {
	info, ok := ctx.Value(infoKey{}).(*requestInfo)
	if !ok {
		return Caller{}, false
	}
	return info.caller, true
}

// RouteFromContext returns the route that the REST request whose context is
// ctx matched. ok is false outside a handler registered with
// [Server.Handle].
func RouteFromContext(ctx context.Context) (route.Route, bool) {
	info, ok := ctx.Value(infoKey{}).(*requestInfo)
	if !ok {
		return route.Route{}, false
	}
	return info.route.Clone(), true
}

// PathParams returns the values of the ":name" segments of the route that
// r matched, decoded as Magento decodes them (PHP's urldecode: '+' is a
// space). It returns nil outside a handler registered with [Server.Handle].
func PathParams(r *http.Request) map[string]string {
	info, ok := r.Context().Value(infoKey{}).(*requestInfo)
	if !ok {
		return nil
	}
	return info.route.Params(info.pathInfo)
}
