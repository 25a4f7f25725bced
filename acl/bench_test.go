package acl_test

import (
	"testing"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/user"
)

// benchGrant returns a Custom grant of 50 resources of the default tree,
// spread over the tree, that includes the two refs of the benchmarked route.
func benchGrant() (ids, route []string) {
	route = []string{"Magento_Catalog::products", "Magento_Sales::actions_view"}
	ids = append(ids, route...)
	i := 0
	acl.Default().Walk(func(r *acl.Resource, _ int) bool {
		if i%5 == 0 && len(ids) < 50 && r.ID != route[0] && r.ID != route[1] {
			ids = append(ids, r.ID)
		}
		i++
		return true
	})
	return ids, route
}

func BenchmarkCheck(b *testing.B) {
	ids, route := benchGrant()
	s, err := acl.Default().Compile(acl.Grant{Resources: ids})
	if err != nil {
		b.Fatal(err)
	}
	ok := true
	for b.Loop() {
		ok = s.Check(user.Integration, route) && ok
	}
	if !ok {
		b.Fatal("Check = false, want true")
	}
}

func BenchmarkCheckAll(b *testing.B) {
	_, route := benchGrant()
	s, err := acl.Default().Compile(acl.Grant{All: true})
	if err != nil {
		b.Fatal(err)
	}
	ok := true
	for b.Loop() {
		ok = s.Check(user.Integration, route) && ok
	}
	if !ok {
		b.Fatal("Check = false, want true")
	}
}

// BenchmarkMapBaseline is what Check is measured against: the two lookups
// of the route's refs in a plain map of every resource id to its
// permission.
func BenchmarkMapBaseline(b *testing.B) {
	ids, route := benchGrant()
	m := make(map[string]bool)
	acl.Default().Walk(func(r *acl.Resource, _ int) bool {
		m[r.ID] = false
		return true
	})
	for _, id := range ids {
		m[id] = true
	}
	ok := true
	for b.Loop() {
		ok = m[route[0]] && m[route[1]] && ok
	}
	if !ok {
		b.Fatal("lookup = false, want true")
	}
}

func BenchmarkCompile(b *testing.B) {
	ids, _ := benchGrant()
	tree := acl.Default()
	for b.Loop() {
		if _, err := tree.Compile(acl.Grant{Resources: ids}); err != nil {
			b.Fatal(err)
		}
	}
}
