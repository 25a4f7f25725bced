// Package jwtauth issues and reads the admin and customer tokens of
// Magento's JwtUserToken module (docs/magento-behaviour.md §13): HS256 JWTs with Magento's
// claims and key derivation, and the revocations of jwt_auth_revoked.
package jwtauth

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/magekit/magekit/user"
)

// jwtKeyLength is the length Magento pads its JWT secret to
// (SecretBasedJwksFactory, docs/magento-behaviour.md §13.4).
const jwtKeyLength = 2048

// jwtKey derives the HS256 key from a deployment secret as Magento derives
// it from crypt/key: the last whitespace-separated key, padded with '&' on
// both sides to 2048 characters as PHP's str_pad(STR_PAD_BOTH) pads (the
// odd character goes right).
func jwtKey(secret string) []byte {
	keys := strings.Fields(secret)
	key := ""
	if len(keys) > 0 {
		key = keys[len(keys)-1]
	}
	if len(key) >= jwtKeyLength {
		return []byte(key)
	}
	pad := jwtKeyLength - len(key)
	left := pad / 2
	return []byte(strings.Repeat("&", left) + key + strings.Repeat("&", pad-left))
}

// RandomSecret returns a secret like Magento's generated crypt/key: 32
// hex characters.
func RandomSecret(r io.Reader) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("jwtauth: jwt secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// claims are the claims of Magento's user tokens (JwtUserToken Issuer):
// uid, utypid (2 admin, 3 customer), iat and exp.
type claims struct {
	UID       int64            `json:"uid"`
	UserType  user.Type        `json:"utypid"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	ExpiresAt *jwt.NumericDate `json:"exp"`
}

var _ jwt.Claims = (*claims)(nil)

func (c *claims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c *claims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c *claims) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (c *claims) GetIssuer() (string, error)                   { return "", nil }
func (c *claims) GetSubject() (string, error)                  { return "", nil }
func (c *claims) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// tokens issues and reads admin and customer tokens: HS256 JWTs with the
// protected header {"alg":"HS256","kid":"1"} (docs/magento-behaviour.md §13.4).
type Tokens struct {
	key    []byte
	now    func() time.Time
	parser *jwt.Parser

	mu      sync.Mutex
	revoked map[User]int64 // Magento's jwt_auth_revoked: revoke_before
}

// User names a user across the two token user types.
type User struct {
	Type user.Type
	ID   int64
}

// New returns the token service of the deployment secret (several keys
// separated by whitespace: the last signs), on the clock now.
func New(secret string, now func() time.Time) *Tokens {
	return &Tokens{
		key:     jwtKey(secret),
		now:     now,
		parser:  jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(now), jwt.WithExpirationRequired()),
		revoked: make(map[User]int64),
	}
}

// Issue returns a token for the user, valid for ttl from now.
func (t *Tokens) Issue(typ user.Type, id int64, ttl time.Duration) (string, error) {
	now := t.now().Truncate(time.Second)
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, &claims{
		UID:       id,
		UserType:  typ,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	})
	tok.Header = map[string]any{"alg": "HS256", "kid": "1"}
	s, err := tok.SignedString(t.key)
	if err != nil {
		return "", fmt.Errorf("jwtauth: sign token: %w", err)
	}
	return s, nil
}

// ErrRevoked is the cause of a token issued before its user's tokens
// were revoked.
var ErrRevoked = errors.New("jwtauth: user token has been revoked")

// Read verifies a token's signature, expiry and revocation (Magento's JWT
// reader and validators) and returns its user.
func (t *Tokens) Read(s string) (User, error) {
	var c claims
	if _, err := t.parser.ParseWithClaims(s, &c, func(*jwt.Token) (any, error) { return t.key, nil }); err != nil {
		return User{}, err
	}
	u := User{Type: c.UserType, ID: c.UID}
	if u.Type != user.Admin && u.Type != user.Customer || u.ID <= 0 || c.IssuedAt == nil {
		return User{}, errors.New("jwtauth: token claims are not a user's")
	}
	t.mu.Lock()
	before, ok := t.revoked[u]
	t.mu.Unlock()
	if ok && c.IssuedAt.Unix() <= before {
		return User{}, ErrRevoked
	}
	return u, nil
}

// Revoke invalidates every token of the user issued up to now.
func (t *Tokens) Revoke(u User) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.revoked[u] = t.now().Unix()
}

// Reset forgets every revocation.
func (t *Tokens) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.revoked)
}
