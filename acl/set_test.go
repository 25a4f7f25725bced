package acl_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/user"
)

const (
	products   = "Magento_Catalog::products"
	categories = "Magento_Catalog::categories"
	catalog    = "Magento_Catalog::catalog"
	view       = "Magento_Sales::actions_view"
	actions    = "Magento_Sales::actions"
	// unknown is referenced by a 2.4.7 route but declared by no acl.xml
	// (docs/magento-behaviour.md, "Embedded data").
	unknown = "Magento_AdobeStockImage::actions_view"
)

func compile(t *testing.T, g acl.Grant) *acl.Set {
	t.Helper()
	s, err := acl.Default().Compile(g)
	if err != nil {
		t.Fatalf("Compile(%+v) error: %v", g, err)
	}
	return s
}

func TestAllowed(t *testing.T) {
	type check struct {
		id   string
		want bool
	}
	tests := []struct {
		name   string
		set    func(t *testing.T) *acl.Set
		checks []check
	}{
		{
			name: "custom",
			set:  func(t *testing.T) *acl.Set { return compile(t, acl.Grant{Resources: []string{view, products}}) },
			checks: []check{
				{view, true},
				{products, true},
				{actions, false}, // the parent of an allowed child
				{catalog, false},
				{categories, false},
				{acl.Admin, true}, // saveRel appends it
				{acl.All, false},
				{unknown, false},
				{acl.Self, false},
				{acl.Anonymous, false},
				{"", false},
			},
		},
		{
			name: "parent does not imply children",
			set:  func(t *testing.T) *acl.Set { return compile(t, acl.Grant{Resources: []string{catalog}}) },
			checks: []check{
				{catalog, true},
				{products, false},
				{categories, false},
			},
		},
		{
			name: "all",
			set:  func(t *testing.T) *acl.Set { return compile(t, acl.Grant{All: true}) },
			checks: []check{
				{view, true},
				{acl.All, true},
				{acl.Admin, true},
				{unknown, true},
				{acl.Self, true},
			},
		},
		{
			name: "all ignores resources",
			set: func(t *testing.T) *acl.Set {
				return compile(t, acl.Grant{All: true, Resources: []string{"Not_A::resource"}})
			},
			checks: []check{{view, true}, {unknown, true}},
		},
		{
			name: "custom list of exactly all",
			set:  func(t *testing.T) *acl.Set { return compile(t, acl.Grant{Resources: []string{acl.All}}) },
			checks: []check{
				{view, true},
				{acl.All, true},
				{unknown, true},
			},
		},
		{
			name: "custom list with all among others",
			set:  func(t *testing.T) *acl.Set { return compile(t, acl.Grant{Resources: []string{acl.All, products}}) },
			checks: []check{
				{products, true},
				{acl.All, true},
				{acl.Admin, true},
				{view, false}, // known resources keep their own rule
				{unknown, true},
				{acl.Self, true},
			},
		},
		{
			name: "custom list of all twice",
			set:  func(t *testing.T) *acl.Set { return compile(t, acl.Grant{Resources: []string{acl.All, acl.All}}) },
			checks: []check{
				{acl.All, true},
				{acl.Admin, true},
				{view, false},
				{unknown, true},
			},
		},
		{
			name: "empty custom list",
			set:  func(t *testing.T) *acl.Set { return compile(t, acl.Grant{}) },
			checks: []check{
				{view, false},
				{acl.Admin, false},
				{acl.All, false},
				{unknown, false},
			},
		},
		{
			name:   "nil set",
			set:    func(*testing.T) *acl.Set { return nil },
			checks: []check{{view, false}, {acl.All, false}, {unknown, false}, {acl.Anonymous, false}},
		},
		{
			name:   "zero set",
			set:    func(*testing.T) *acl.Set { return new(acl.Set) },
			checks: []check{{view, false}, {unknown, false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.set(t)
			for _, c := range tt.checks {
				if got := s.Allowed(c.id); got != c.want {
					t.Errorf("Allowed(%q) = %v, want %v", c.id, got, c.want)
				}
			}
		})
	}
}

func TestCheck(t *testing.T) {
	custom := compile(t, acl.Grant{Resources: []string{products, view}})
	all := compile(t, acl.Grant{All: true})
	var none *acl.Set
	tests := []struct {
		name   string
		set    *acl.Set
		caller user.Type
		refs   []string
		want   bool
	}{
		{"custom allowed", custom, user.Integration, []string{products}, true},
		{"custom denied", custom, user.Integration, []string{categories}, false},
		{"child allowed, parent denied", custom, user.Integration, []string{catalog}, false},
		{"and: all refs allowed", custom, user.Integration, []string{products, view}, true},
		{"and: one ref denied", custom, user.Integration, []string{products, categories}, false},
		{"and: first ref denied", custom, user.Integration, []string{categories, products}, false},
		{"custom unknown", custom, user.Integration, []string{unknown}, false},
		{"all unknown", all, user.Integration, []string{unknown}, true},
		{"all", all, user.Admin, []string{products, categories, view}, true},
		{"anonymous nil set", none, user.Guest, []string{acl.Anonymous}, true},
		{"anonymous custom", custom, user.Integration, []string{acl.Anonymous}, true},
		{"anonymous and resource nil set", none, user.Guest, []string{acl.Anonymous, products}, false},
		{"anonymous and allowed resource", custom, user.Integration, []string{acl.Anonymous, products}, true},
		{"resource nil set", none, user.Guest, []string{products}, false},
		{"self customer nil set", none, user.Customer, []string{acl.Self}, true},
		{"self customer custom", custom, user.Customer, []string{acl.Self}, true},
		{"self guest nil set", none, user.Guest, []string{acl.Self}, false},
		{"self integration custom", custom, user.Integration, []string{acl.Self}, false},
		{"self integration all", all, user.Integration, []string{acl.Self}, true},
		{"self admin all", all, user.Admin, []string{acl.Self}, true},
		{"self admin custom", custom, user.Admin, []string{acl.Self}, false},
		{"self and resource customer nil set", none, user.Customer, []string{acl.Self, products}, false},
		{"no refs", none, user.Guest, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.set.Check(tt.caller, tt.refs); got != tt.want {
				t.Errorf("Check(%v, %q) = %v, want %v", tt.caller, tt.refs, got, tt.want)
			}
		})
	}
}

func TestCheckAllocs(t *testing.T) {
	custom := compile(t, acl.Grant{Resources: []string{products, view}})
	all := compile(t, acl.Grant{All: true})
	refs := []string{products, view, acl.Anonymous, acl.Self}
	for name, s := range map[string]*acl.Set{"custom": custom, "all": all, "nil": nil} {
		if n := testing.AllocsPerRun(100, func() { s.Check(user.Customer, refs) }); n != 0 {
			t.Errorf("%s: Check allocates %v times, want 0", name, n)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name    string
		ids     []string
		unknown []string
	}{
		{"one unknown", []string{products, "Acme_Sync::read"}, []string{"Acme_Sync::read"}},
		{"several, reported once each", []string{"X_Y::a", products, "X_Y::b", "X_Y::a"}, []string{"X_Y::a", "X_Y::b"}},
		{"pseudo-resources", []string{acl.Anonymous, acl.Self}, []string{acl.Anonymous, acl.Self}},
		{"empty id", []string{""}, []string{""}},
		{"disabled in 2.4.7", []string{"Magento_Config::advanced"}, []string{"Magento_Config::advanced"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := acl.Default().Compile(acl.Grant{Resources: tt.ids})
			if err == nil {
				t.Fatalf("Compile(%q) = %v, nil, want error", tt.ids, s)
			}
			if s != nil {
				t.Errorf("Compile(%q) returned a Set with error %v", tt.ids, err)
			}
			if !errors.Is(err, acl.ErrUnknownResource) {
				t.Errorf("Compile(%q) error = %v, want errors.Is ErrUnknownResource", tt.ids, err)
			}
			joined, ok := err.(interface{ Unwrap() []error })
			if !ok {
				t.Fatalf("Compile(%q) error %T is not joined", tt.ids, err)
			}
			var got []string
			for _, e := range joined.Unwrap() {
				got = append(got, e.Error())
			}
			var want []string
			for _, id := range tt.unknown {
				want = append(want, `acl: unknown resource "`+id+`"`)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Compile(%q) errors mismatch (-want +got):\n%s", tt.ids, diff)
			}
		})
	}
}

func TestResources(t *testing.T) {
	tests := []struct {
		name  string
		grant acl.Grant
		want  []string
	}{
		{"all", acl.Grant{All: true}, []string{acl.All}},
		{"exactly all", acl.Grant{Resources: []string{acl.All}}, []string{acl.All}},
		{"custom in display order", acl.Grant{Resources: []string{view, products, view}}, []string{acl.Admin, view, products}},
		{"all among others", acl.Grant{Resources: []string{products, acl.All}}, []string{acl.All, acl.Admin, products}},
		{"empty", acl.Grant{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compile(t, tt.grant).Resources()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resources() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	var none *acl.Set
	if got := none.Resources(); got != nil {
		t.Errorf("nil Set: Resources() = %q, want nil", got)
	}
}

func TestCompileCustomTree(t *testing.T) {
	tree, err := acl.Parse(files(backendXML, acmeXML)...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := tree.Compile(acl.Grant{Resources: []string{"Acme_Sync::read"}})
	if err != nil {
		t.Fatalf("Compile error: %v", err)
	}
	for _, c := range []struct {
		id   string
		want bool
	}{
		{"Acme_Sync::read", true},
		{"Acme_Sync::root", false},
		{acl.Admin, true},
		{products, false}, // not in this tree: Custom denies unknown ids
	} {
		if got := s.Allowed(c.id); got != c.want {
			t.Errorf("Allowed(%q) = %v, want %v", c.id, got, c.want)
		}
	}
	if _, err := tree.Compile(acl.Grant{Resources: []string{products}}); !errors.Is(err, acl.ErrUnknownResource) {
		t.Errorf("Compile(%q) error = %v, want ErrUnknownResource", products, err)
	}
}

func TestDenied(t *testing.T) {
	tests := []struct {
		refs []string
		want string
	}{
		{[]string{products}, products},
		{[]string{products, categories}, products + ", " + categories},
		{[]string{acl.Self}, "self"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := acl.Denied(tt.refs); got != tt.want {
			t.Errorf("Denied(%q) = %q, want %q", tt.refs, got, tt.want)
		}
	}
}
