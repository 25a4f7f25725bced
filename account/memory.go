package account

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/magekit/magekit/store"
)

var (
	_ Store            = (*Memory)(nil)
	_ CustomerResetter = (*Memory)(nil)
)

// Memory is an in-memory [Store]. The zero value is empty and
// ready to use; a Memory is safe for concurrent use.
type Memory struct {
	mu           sync.RWMutex
	admins       []AdminUser
	customers    []Customer
	lastAdmin    int64
	lastCustomer int64
}

// NewMemory returns an empty store.
func NewMemory() *Memory { return new(Memory) }

// copyAdmin and copyCustomer make the copies that go in and out.
func copyAdmin(u AdminUser) AdminUser {
	u.Password = copyPassword(u.Password)
	return u
}

func copyCustomer(c Customer) Customer {
	c.Password = copyPassword(c.Password)
	return c
}

func copyPassword(p Password) Password {
	p.Salt = slices.Clone(p.Salt)
	p.Key = slices.Clone(p.Key)
	return p
}

// CreateAdmin implements [AdminStore].
func (m *Memory) CreateAdmin(ctx context.Context, u *AdminUser) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if slices.ContainsFunc(m.admins, func(a AdminUser) bool { return strings.EqualFold(a.Username, u.Username) }) {
		return fmt.Errorf("account: admin user %q: %w", u.Username, store.ErrExists)
	}
	m.lastAdmin++
	u.ID = m.lastAdmin
	m.admins = append(m.admins, copyAdmin(*u))
	return nil
}

// Admin implements [AdminStore].
func (m *Memory) Admin(ctx context.Context, id int64) (AdminUser, error) {
	return m.admin(ctx, func(a AdminUser) bool { return a.ID == id }, fmt.Sprint(id))
}

// AdminByUsername implements [AdminStore].
func (m *Memory) AdminByUsername(ctx context.Context, username string) (AdminUser, error) {
	return m.admin(ctx, func(a AdminUser) bool { return strings.EqualFold(a.Username, username) }, username)
}

func (m *Memory) admin(ctx context.Context, match func(AdminUser) bool, key string) (AdminUser, error) {
	if err := ctx.Err(); err != nil {
		return AdminUser{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if i := slices.IndexFunc(m.admins, match); i >= 0 {
		return copyAdmin(m.admins[i]), nil
	}
	return AdminUser{}, fmt.Errorf("account: admin user %s: %w", key, store.ErrNotFound)
}

// CreateCustomer implements [CustomerStore].
func (m *Memory) CreateCustomer(ctx context.Context, c *Customer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if slices.ContainsFunc(m.customers, func(x Customer) bool { return strings.EqualFold(x.Email, c.Email) }) {
		return fmt.Errorf("account: customer %q: %w", c.Email, store.ErrExists)
	}
	m.lastCustomer++
	c.ID = m.lastCustomer
	m.customers = append(m.customers, copyCustomer(*c))
	return nil
}

// Customer implements [CustomerStore].
func (m *Memory) Customer(ctx context.Context, id int64) (Customer, error) {
	return m.customer(ctx, func(c Customer) bool { return c.ID == id }, fmt.Sprint(id))
}

// CustomerByEmail implements [CustomerStore].
func (m *Memory) CustomerByEmail(ctx context.Context, email string) (Customer, error) {
	return m.customer(ctx, func(c Customer) bool { return strings.EqualFold(c.Email, email) }, email)
}

func (m *Memory) customer(ctx context.Context, match func(Customer) bool, key string) (Customer, error) {
	if err := ctx.Err(); err != nil {
		return Customer{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if i := slices.IndexFunc(m.customers, match); i >= 0 {
		return copyCustomer(m.customers[i]), nil
	}
	return Customer{}, fmt.Errorf("account: customer %s: %w", key, store.ErrNotFound)
}

// DeleteCustomers implements [CustomerResetter]. Ids are not reused.
func (m *Memory) DeleteCustomers(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.customers = nil
	return nil
}
