package account_test

import (
	"errors"
	"testing"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/store"
)

func TestMemory(t *testing.T) {
	ctx := t.Context()
	m := account.NewMemory()
	pw, err := account.NewPassword("magento123", 1000)
	if err != nil {
		t.Fatal(err)
	}
	admin := account.AdminUser{Username: "Admin", Password: pw}
	if err := m.CreateAdmin(ctx, &admin); err != nil || admin.ID != 1 {
		t.Fatalf("CreateAdmin = %v, id %d; want nil, 1", err, admin.ID)
	}
	if err := m.CreateAdmin(ctx, &account.AdminUser{Username: "admin"}); !errors.Is(err, store.ErrExists) {
		t.Errorf("CreateAdmin(same name, other case) = %v, want store.ErrExists", err)
	}
	got, err := m.AdminByUsername(ctx, "ADMIN")
	if err != nil || got.ID != 1 || !got.Password.Match("magento123") || got.Password.Match("magento124") {
		t.Fatalf("AdminByUsername = %+v, %v", got, err)
	}
	got.Password.Key[0] ^= 0xff // a copy: the stored hash must not change
	if again, _ := m.Admin(ctx, 1); !again.Password.Match("magento123") {
		t.Error("changing a returned password changed the stored one")
	}
	if _, err := m.Admin(ctx, 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Admin(2) = %v, want store.ErrNotFound", err)
	}
	c := account.Customer{Email: "a@example.com", Password: pw}
	if err := m.CreateCustomer(ctx, &c); err != nil || c.ID != 1 {
		t.Fatalf("CreateCustomer = %v, id %d", err, c.ID)
	}
	if err := m.CreateCustomer(ctx, &account.Customer{Email: "A@example.com"}); !errors.Is(err, store.ErrExists) {
		t.Errorf("CreateCustomer(same email) = %v, want store.ErrExists", err)
	}
	if err := m.DeleteCustomers(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := m.CustomerByEmail(ctx, "a@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CustomerByEmail after DeleteCustomers = %v, want store.ErrNotFound", err)
	}
	next := account.Customer{Email: "b@example.com"}
	if err := m.CreateCustomer(ctx, &next); err != nil || next.ID != 2 {
		t.Errorf("CreateCustomer after DeleteCustomers = %v, id %d; want id 2 (ids are not reused)", err, next.ID)
	}
}
