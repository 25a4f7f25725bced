// Package user names the kinds of user a Magento request is made for. It is
// a leaf: the OAuth token rows (oauth_token.user_type), the admin and
// customer JWT claims, the ACL check of a route and the REST caller all use
// its one enum.
package user

import "strconv"

// Type is Magento's user-context type (UserContextInterface::USER_TYPE_*),
// with Magento's numbers, which are stored in oauth_token.user_type and
// carried in the utypid claim of admin and customer tokens. The zero value
// is no type; a request without a usable credential is made for [Guest].
type Type int

// Magento's user types.
const (
	Integration Type = 1 // an integration, by its OAuth signature or access token
	Admin       Type = 2 // an admin user, by an admin token
	Customer    Type = 3 // a customer, by a customer token
	Guest       Type = 4 // no credentials
)

var names = [...]string{Integration: "integration", Admin: "admin", Customer: "customer", Guest: "guest"}

// String returns "integration", "admin", "customer" or "guest", and
// "Type(n)" for any other value.
func (t Type) String() string {
	if t >= Integration && t <= Guest {
		return names[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}
