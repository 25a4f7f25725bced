package webapi

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
// (SecretBasedJwksFactory, SPEC §13.4).
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

// randomSecret returns a secret like Magento's generated crypt/key: 32
// hex characters.
func randomSecret(r io.Reader) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("webapi: jwt secret: %w", err)
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
// protected header {"alg":"HS256","kid":"1"} (SPEC §13.4).
type tokens struct {
	key    []byte
	now    func() time.Time
	parser *jwt.Parser

	mu      sync.Mutex
	revoked map[userKey]int64 // Magento's jwt_auth_revoked: revoke_before
}

// userKey names a user across the two token user types.
type userKey struct {
	typ user.Type
	id  int64
}

func newTokens(secret string, now func() time.Time) *tokens {
	return &tokens{
		key:     jwtKey(secret),
		now:     now,
		parser:  jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(now), jwt.WithExpirationRequired()),
		revoked: make(map[userKey]int64),
	}
}

// issue returns a token for the user, valid for ttl from now.
func (t *tokens) issue(typ user.Type, id int64, ttl time.Duration) (string, error) {
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
		return "", fmt.Errorf("webapi: sign token: %w", err)
	}
	return s, nil
}

// errTokenRevoked is the cause of a token issued before its user's tokens
// were revoked.
var errTokenRevoked = errors.New("webapi: user token has been revoked")

// read verifies a token's signature, expiry and revocation (Magento's JWT
// reader and validators) and returns its user.
func (t *tokens) read(s string) (userKey, error) {
	var c claims
	if _, err := t.parser.ParseWithClaims(s, &c, func(*jwt.Token) (any, error) { return t.key, nil }); err != nil {
		return userKey{}, err
	}
	u := userKey{typ: c.UserType, id: c.UID}
	if u.typ != user.Admin && u.typ != user.Customer || u.id <= 0 || c.IssuedAt == nil {
		return userKey{}, errors.New("webapi: token claims are not a user's")
	}
	t.mu.Lock()
	before, ok := t.revoked[u]
	t.mu.Unlock()
	if ok && c.IssuedAt.Unix() <= before {
		return userKey{}, errTokenRevoked
	}
	return u, nil
}

// revoke invalidates every token of the user issued up to now.
func (t *tokens) revoke(u userKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.revoked[u] = t.now().Unix()
}

// reset forgets every revocation.
func (t *tokens) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.revoked)
}
