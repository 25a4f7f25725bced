package account

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"time"
)

// AdminUser is an admin user (Magento's admin_user) who can get admin
// tokens. Admin users hold the Administrators role: every resource.
type AdminUser struct {
	ID        int64
	Username  string
	Email     string
	FirstName string
	LastName  string
	Password  Password
	// Inactive users cannot sign in and their tokens stop working, as
	// Magento revokes the tokens of a deactivated admin (docs/magento-behaviour.md §13.1).
	Inactive bool
}

// Customer is a customer account (Magento's customer_entity) of the single
// website, store group and store view this package emulates.
type Customer struct {
	ID        int64
	Email     string
	FirstName string
	LastName  string
	Password  Password
	GroupID   int64 // 1, "General"
	StoreID   int64 // 1, "Default Store View"
	WebsiteID int64 // 1, "Main Website"
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AdminStore keeps admin users. Implementations must be safe for concurrent
// use, copy records in and out, and wrap the sentinels of package store.
// Usernames compare case-insensitively, as MySQL's collation compares them
// in Magento.
type AdminStore interface {
	// CreateAdmin stores u and sets u.ID. It returns store.ErrExists if
	// the username is taken.
	CreateAdmin(ctx context.Context, u *AdminUser) error
	// Admin returns the admin user with id, or store.ErrNotFound.
	Admin(ctx context.Context, id int64) (AdminUser, error)
	// AdminByUsername returns the admin user named username, or
	// store.ErrNotFound.
	AdminByUsername(ctx context.Context, username string) (AdminUser, error)
}

// CustomerStore keeps customers, under the same rules as [AdminStore];
// emails compare case-insensitively.
type CustomerStore interface {
	// CreateCustomer stores c and sets c.ID. It returns store.ErrExists if
	// the email is taken.
	CreateCustomer(ctx context.Context, c *Customer) error
	// Customer returns the customer with id, or store.ErrNotFound.
	Customer(ctx context.Context, id int64) (Customer, error)
	// CustomerByEmail returns the customer with email, or
	// store.ErrNotFound.
	CustomerByEmail(ctx context.Context, email string) (Customer, error)
}

// Store is every user the token services authenticate.
type Store interface {
	AdminStore
	CustomerStore
}

// CustomerResetter is the optional capability of a [Store] that
// [Server.Reset] uses to delete every customer.
type CustomerResetter interface {
	DeleteCustomers(ctx context.Context) error
}

// DefaultPasswordIterations is the PBKDF2-HMAC-SHA256 iteration count of
// [NewPassword] when none is given, OWASP's 2023 recommendation.
const DefaultPasswordIterations = 600_000

// Password is a password hashed with PBKDF2-HMAC-SHA256 and a random salt.
// The clear password is never kept. The zero Password matches nothing.
type Password struct {
	Iterations int
	Salt       []byte
	Key        []byte
}

// NewPassword hashes password with a new 16-byte salt from crypto/rand and
// iterations rounds (≤ 0: [DefaultPasswordIterations]).
func NewPassword(password string, iterations int) (Password, error) {
	if iterations <= 0 {
		iterations = DefaultPasswordIterations
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return Password{}, fmt.Errorf("account: password salt: %w", err)
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return Password{}, fmt.Errorf("account: password hash: %w", err)
	}
	return Password{Iterations: iterations, Salt: salt, Key: key}, nil
}

// Match reports whether password is the one p was made from, comparing in
// constant time.
func (p Password) Match(password string) bool {
	if p.Iterations <= 0 || len(p.Key) == 0 {
		return false
	}
	key, err := pbkdf2.Key(sha256.New, password, p.Salt, p.Iterations, len(p.Key))
	return err == nil && subtle.ConstantTimeCompare(key, p.Key) == 1
}
