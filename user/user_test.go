package user_test

import (
	"testing"

	"github.com/magekit/magekit/user"
)

func TestTypeString(t *testing.T) {
	tests := []struct {
		typ  user.Type
		want string
	}{
		{user.Guest, "guest"},
		{user.Integration, "integration"},
		{user.Admin, "admin"},
		{user.Customer, "customer"},
		{user.Type(0), "Type(0)"},
		{user.Type(9), "Type(9)"},
		{user.Type(-1), "Type(-1)"},
	}
	for _, tt := range tests {
		if got := tt.typ.String(); got != tt.want {
			t.Errorf("Type(%d).String() = %q, want %q", int(tt.typ), got, tt.want)
		}
	}
}

// TestMagentoNumbers pins the numbers stored in oauth_token.user_type and in
// token claims (UserContextInterface).
func TestMagentoNumbers(t *testing.T) {
	for typ, want := range map[user.Type]int{user.Integration: 1, user.Admin: 2, user.Customer: 3, user.Guest: 4} {
		if int(typ) != want {
			t.Errorf("%v = %d, want %d", typ, int(typ), want)
		}
	}
}
