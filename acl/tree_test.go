package acl_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/user"
)

// path returns the ids from the root down to r, joined by " > ".
func path(r *acl.Resource) string {
	var ids []string
	for ; r != nil; r = r.Parent {
		ids = append([]string{r.ID}, ids...)
	}
	return strings.Join(ids, " > ")
}

func childIDs(rs []*acl.Resource) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids
}

// checkTree verifies that tree is consistent with itself: Walk, Len,
// Resource, the parent and child links, display order and Under agree.
func checkTree(t *testing.T, tree *acl.Tree) {
	t.Helper()
	n := 0
	var stack []*acl.Resource
	tree.Walk(func(r *acl.Resource, depth int) bool {
		n++
		if depth > len(stack) {
			t.Fatalf("Walk: %q at depth %d below a resource at depth %d", r.ID, depth, len(stack)-1)
		}
		stack = append(stack[:depth], r)
		var parent *acl.Resource
		if depth > 0 {
			parent = stack[depth-1]
		}
		if r.Parent != parent {
			t.Errorf("%q: Parent = %v, want %v", r.ID, r.Parent, parent)
		}
		if got, ok := tree.Resource(r.ID); !ok || got != r {
			t.Errorf("Resource(%q) = %p, %v, want %p, true", r.ID, got, ok, r)
		}
		for i, c := range r.Children {
			if c.Parent != r {
				t.Errorf("%q: child %q has Parent %v", r.ID, c.ID, c.Parent)
			}
			if i > 0 && r.Children[i-1].SortOrder > c.SortOrder {
				t.Errorf("%q: child %q (sortOrder %d) after %q (sortOrder %d)",
					r.ID, c.ID, c.SortOrder, r.Children[i-1].ID, r.Children[i-1].SortOrder)
			}
		}
		if parent != nil && !tree.Under(r.ID, parent.ID) {
			t.Errorf("Under(%q, %q) = false, want true", r.ID, parent.ID)
		}
		if tree.Under(r.ID, r.ID) {
			t.Errorf("Under(%q, %q) = true, want false", r.ID, r.ID)
		}
		if parent != nil && tree.Under(parent.ID, r.ID) {
			t.Errorf("Under(%q, %q) = true, want false", parent.ID, r.ID)
		}
		return true
	})
	if n != tree.Len() {
		t.Errorf("Walk visited %d resources, Len() = %d", n, tree.Len())
	}
	for _, r := range tree.Roots() {
		if r.Parent != nil {
			t.Errorf("root %q has Parent %q", r.ID, r.Parent.ID)
		}
	}
}

func TestDefault(t *testing.T) {
	tree := acl.Default()
	if got := tree.Len(); got != 273 {
		t.Errorf("Len() = %d, want 273", got)
	}
	if acl.Default() != tree {
		t.Error("Default() returned a different tree on the second call")
	}
	checkTree(t, tree)
	if diff := cmp.Diff([]string{acl.All, acl.Admin}, childIDs(tree.Roots())); diff != "" {
		t.Errorf("Roots() mismatch (-want +got):\n%s", diff)
	}

	paths := []struct {
		id, want string
	}{
		{"Magento_Sales::actions_view", "Magento_Backend::admin > Magento_Sales::sales > Magento_Sales::sales_operation > Magento_Sales::sales_order > Magento_Sales::actions > Magento_Sales::actions_view"},
		{"Magento_Catalog::products", "Magento_Backend::admin > Magento_Catalog::catalog > Magento_Catalog::catalog_inventory > Magento_Catalog::products"},
		{"Magento_Integration::integrations", "Magento_Backend::admin > Magento_Backend::system > Magento_Integration::extensions > Magento_Integration::integrations"},
		{"Magento_Cart::manage", "Magento_Backend::admin > Magento_Cart::cart > Magento_Cart::manage"},
		{"Magento_Backend::all", "Magento_Backend::all"},
	}
	for _, tt := range paths {
		t.Run(tt.id, func(t *testing.T) {
			r, ok := tree.Resource(tt.id)
			if !ok {
				t.Fatalf("Resource(%q) not found", tt.id)
			}
			if got := path(r); got != tt.want {
				t.Errorf("path(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}

	titles := map[string]string{
		acl.All:                             "Allow everything",
		acl.Admin:                           "Magento Admin",
		"Magento_Sales::actions_view":       "View",
		"Magento_Integration::integrations": "System Integrations",
		"Magento_Cart::cart":                "Carts",
	}
	for id, want := range titles {
		if r, _ := tree.Resource(id); r == nil || r.Title != want {
			t.Errorf("Resource(%q).Title = %v, want %q", id, r, want)
		}
	}

	// docs/magento-behaviour.md §10.4: Magento_Customer::customer and Magento_Cart::cart share
	// sortOrder 40 and keep merge order.
	admin, _ := tree.Resource(acl.Admin)
	wantTop := []string{
		"Magento_Backend::dashboard",
		"Magento_Analytics::analytics",
		"Magento_Sales::sales",
		"Magento_Catalog::catalog",
		"Magento_Customer::customer",
		"Magento_Cart::cart",
		"Magento_Backend::myaccount",
		"Magento_Backend::marketing",
		"Magento_Backend::content",
		"Magento_Reports::report",
		"Magento_Backend::stores",
		"Magento_Backend::system",
		"Magento_Backend::global_search",
	}
	if diff := cmp.Diff(wantTop, childIDs(admin.Children)); diff != "" {
		t.Errorf("children of %s mismatch (-want +got):\n%s", acl.Admin, diff)
	}

	// docs/magento-behaviour.md, "Embedded data": disabled in 2.4.7-p3, dropped with their subtrees.
	for _, id := range []string{"Magento_Config::advanced", "Magento_Shipping::shipping_policy", "Magento_CatalogSearch::config_catalog_search"} {
		if _, ok := tree.Resource(id); ok {
			t.Errorf("Resource(%q) found, want dropped as disabled", id)
		}
	}
}

func TestDefaultConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			set, err := acl.Default().Compile(acl.Grant{Resources: []string{"Magento_Catalog::products"}})
			if err != nil {
				t.Error(err)
				return
			}
			if !set.Check(user.Integration, []string{"Magento_Catalog::products"}) {
				t.Error("Check(products) = false, want true")
			}
		}()
	}
	wg.Wait()
}

func TestRootsIsACopy(t *testing.T) {
	tree := acl.Default()
	roots := tree.Roots()
	roots[0] = nil
	if tree.Roots()[0] == nil {
		t.Error("changing the slice from Roots() changed the tree")
	}
}

func TestWalk(t *testing.T) {
	tree := acl.Default()
	t.Run("depth", func(t *testing.T) {
		maxDepth := 0
		tree.Walk(func(r *acl.Resource, depth int) bool {
			if got := strings.Count(path(r), " > "); got != depth {
				t.Errorf("Walk depth of %q = %d, want %d", r.ID, depth, got)
			}
			maxDepth = max(maxDepth, depth)
			return true
		})
		if maxDepth != 6 {
			t.Errorf("deepest resource at depth %d, want 6", maxDepth)
		}
	})
	t.Run("prune", func(t *testing.T) {
		var got []string
		tree.Walk(func(r *acl.Resource, depth int) bool {
			got = append(got, r.ID)
			return depth < 1 && r.ID == acl.Admin
		})
		admin, _ := tree.Resource(acl.Admin)
		want := append([]string{acl.All, acl.Admin}, childIDs(admin.Children)...)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Walk with pruning mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("pre-order", func(t *testing.T) {
		var got []string
		tree.Walk(func(r *acl.Resource, depth int) bool {
			got = append(got, r.ID)
			return len(got) < 6
		})
		want := []string{
			acl.All, acl.Admin, "Magento_Backend::dashboard", "Magento_Analytics::analytics",
			"Magento_Analytics::analytics_api", "Magento_Sales::sales",
		}
		if diff := cmp.Diff(want, got[:6]); diff != "" {
			t.Errorf("Walk order mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("empty tree", func(t *testing.T) {
		var tree acl.Tree
		tree.Walk(func(*acl.Resource, int) bool {
			t.Error("Walk of the zero Tree called fn")
			return true
		})
		if tree.Len() != 0 {
			t.Errorf("Len() = %d, want 0", tree.Len())
		}
	})
}

func TestUnder(t *testing.T) {
	tree := acl.Default()
	tests := []struct {
		id, ancestor string
		want         bool
	}{
		{"Magento_Sales::actions_view", "Magento_Sales::sales_order", true},
		{"Magento_Sales::actions_view", "Magento_Sales::actions", true},
		{"Magento_Sales::actions_view", acl.Admin, true},
		{"Magento_Catalog::products", "Magento_Catalog::catalog_inventory", true},
		{"Magento_Integration::integrations", "Magento_Backend::system", true},
		{"Magento_Sales::sales_order", "Magento_Sales::actions_view", false},
		{"Magento_Sales::actions_view", "Magento_Sales::actions_view", false},
		{"Magento_Sales::actions_view", acl.All, false},
		{"Magento_Catalog::products", "Magento_Sales::sales", false},
		{"Magento_Sales::sales", "Magento_Catalog::catalog", false},
		{acl.Admin, acl.All, false},
		{"Unknown_Module::x", acl.Admin, false},
		{"Magento_Sales::sales", "Unknown_Module::x", false},
	}
	for _, tt := range tests {
		if got := tree.Under(tt.id, tt.ancestor); got != tt.want {
			t.Errorf("Under(%q, %q) = %v, want %v", tt.id, tt.ancestor, got, tt.want)
		}
	}
}

func TestExpand(t *testing.T) {
	const (
		sales     = "Magento_Sales::sales"
		operation = "Magento_Sales::sales_operation"
		order     = "Magento_Sales::sales_order"
		actions   = "Magento_Sales::actions"
		view      = "Magento_Sales::actions_view"
		ship      = "Magento_Sales::ship"
		catalog   = "Magento_Catalog::catalog"
		inventory = "Magento_Catalog::catalog_inventory"
		products  = "Magento_Catalog::products"
	)
	tests := []struct {
		name string
		ids  []string
		want []string
	}{
		{"ancestors added", []string{view}, []string{acl.Admin, sales, operation, order, actions, view}},
		{"shared ancestors once", []string{view, ship}, []string{acl.Admin, sales, operation, order, actions, view, ship}},
		{"input order kept", []string{products, view}, []string{acl.Admin, catalog, inventory, products, sales, operation, order, actions, view}},
		{"ancestor listed after child", []string{products, catalog}, []string{acl.Admin, catalog, inventory, products}},
		{"duplicates", []string{products, products}, []string{acl.Admin, catalog, inventory, products}},
		{"top level", []string{catalog}, []string{acl.Admin, catalog}},
		{"all dropped", []string{acl.All, products}, []string{acl.Admin, catalog, inventory, products}},
		{"unknown dropped", []string{"Acme_Sync::read", products}, []string{acl.Admin, catalog, inventory, products}},
		{"only all", []string{acl.All}, nil},
		{"only admin", []string{acl.Admin}, nil},
		{"only unknown", []string{"Acme_Sync::read", "self"}, nil},
		{"none", nil, nil},
	}
	tree := acl.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tree.Expand(tt.ids)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Expand(%q) mismatch (-want +got):\n%s", tt.ids, diff)
			}
		})
	}
	t.Run("tree without admin", func(t *testing.T) {
		tree, err := acl.Parse(acl.File{Name: "acl.xml", Data: []byte(
			`<config><acl><resources><resource id="Acme_Sync::root"><resource id="Acme_Sync::read"/></resource></resources></acl></config>`)})
		if err != nil {
			t.Fatal(err)
		}
		if got := tree.Expand([]string{"Acme_Sync::read"}); got != nil {
			t.Errorf("Expand(Acme_Sync::read) = %q, want nil", got)
		}
	})
}
