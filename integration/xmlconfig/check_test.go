package xmlconfig_test

import (
	"strings"
	"testing"

	"github.com/magekit/magekit/integration/xmlconfig"
)

func TestCheck(t *testing.T) {
	long := "https://acme.example/" + strings.Repeat("x", 240)
	tests := []struct {
		name string
		list []xmlconfig.Integration
		want []violation
	}{
		{"short name", []xmlconfig.Integration{{Name: "A", Email: "a@b.c"}}, []violation{{"", "A", "shorter than 2"}}},
		{"no email", []xmlconfig.Integration{{Name: "AB"}}, []violation{{"", "AB", "does not match"}}},
		{"short URL", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c", Endpoint: "a b"}}, []violation{{"", "AB", "endpoint_url"}}},
		{"bad resource", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c", Resources: []string{"x"}}}, []violation{{"", "AB", "resource name"}}},
		{"too long", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c", IdentityLinkURL: long}},
			[]violation{{"", "AB", "identity_link_url is longer than 255"}}},
		{"name twice", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c"}, {Name: "CD", Email: "a@b.c"}, {Name: "AB", Email: "a@b.c"}},
			[]violation{{"", "AB", "given more than once"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantViolations(t, xmlconfig.Check(tt.list), tt.want...)
		})
	}
	ok := []xmlconfig.Integration{{Name: "AB", Email: "a@b.c", Endpoint: "https://x", Resources: []string{"Magento_Catalog::products"}}}
	if err := xmlconfig.Check(ok); err != nil {
		t.Errorf("Check(valid) = %v, want nil", err)
	}
}
