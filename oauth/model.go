package oauth

import (
	"time"

	"github.com/magekit/magekit/user"
)

// Consumer is an OAuth consumer (Magento's oauth_consumer row, docs/magento-behaviour.md §2.1).
// Every integration has exactly one, named "Integration<id>".
type Consumer struct {
	ID   int64
	Name string
	// Key and Secret are 32 characters of [0-9a-z] (docs/magento-behaviour.md §2.2). The secret
	// is plaintext in memory; a backend may encrypt it at rest.
	Key    string
	Secret string
	// CallbackURL and RejectedCallbackURL are never filled for integration
	// consumers; kept for fidelity with Magento's table.
	CallbackURL         string
	RejectedCallbackURL string
	CreatedAt           time.Time
	// UpdatedAt starts the consumer's expiry window: the request-token step
	// fails once expiration_period has passed since it (docs/magento-behaviour.md §2.4).
	UpdatedAt time.Time
}

// TokenType is the state of a consumer's token row (docs/magento-behaviour.md §3.2).
type TokenType string

// The states a token row moves through, in place: verifier → request → access.
const (
	TokenVerifier TokenType = "verifier"
	TokenRequest  TokenType = "request"
	TokenAccess   TokenType = "access"
)

// Token is the single integration token row of a consumer (Magento's
// oauth_token with user_type 1, docs/magento-behaviour.md §3.1). It is created as a verifier and
// mutated in place to a request token and then an access token.
type Token struct {
	ID         int64
	ConsumerID int64
	Type       TokenType
	// Token and Secret are 32 characters of [0-9a-z]; Token is unique
	// across all rows.
	Token  string
	Secret string
	// Verifier is set when the row is created and kept through its life.
	Verifier    string
	CallbackURL string // "oob" for integrations
	Revoked     bool
	UserType    user.Type
	// CreatedAt is the verifier's creation time; conversions keep it.
	CreatedAt time.Time
}
