package acl_test

import (
	"fmt"
	"strings"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/user"
)

func Example() {
	tree := acl.Default()
	set, err := tree.Compile(acl.Grant{Resources: []string{"Magento_Catalog::products"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, refs := range [][]string{
		{"Magento_Catalog::products"},
		{"Magento_Catalog::catalog"}, // the parent is not implied
		{"Magento_Catalog::products", "Magento_Catalog::categories"},
		{"anonymous"},
	} {
		if set.Check(user.Integration, refs) {
			fmt.Println("allowed")
		} else {
			fmt.Printf("The consumer isn't authorized to access %s.\n", acl.Denied(refs))
		}
	}
	// Output:
	// allowed
	// The consumer isn't authorized to access Magento_Catalog::catalog.
	// The consumer isn't authorized to access Magento_Catalog::products, Magento_Catalog::categories.
	// allowed
}

func ExampleParse() {
	backend := `<config><acl><resources>
  <resource id="Magento_Backend::all" title="Allow everything" sortOrder="10"/>
  <resource id="Magento_Backend::admin" title="Magento Admin" sortOrder="20"/>
</resources></acl></config>`
	acme := `<config><acl><resources>
  <resource id="Magento_Backend::admin">
    <resource id="Acme_Sync::root" title="Acme Sync" sortOrder="200">
      <resource id="Acme_Sync::read" title="Read" sortOrder="10"/>
    </resource>
  </resource>
</resources></acl></config>`
	tree, err := acl.Parse(
		acl.File{Name: "Magento_Backend/etc/acl.xml", Data: []byte(backend)},
		acl.File{Name: "Acme_Sync/etc/acl.xml", Data: []byte(acme)},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	tree.Walk(func(r *acl.Resource, depth int) bool {
		fmt.Printf("%s%s (%s)\n", strings.Repeat("  ", depth), r.ID, r.Title)
		return true
	})
	// Output:
	// Magento_Backend::all (Allow everything)
	// Magento_Backend::admin (Magento Admin)
	//   Acme_Sync::root (Acme Sync)
	//     Acme_Sync::read (Read)
}

func ExampleTree_Expand() {
	fmt.Println(acl.Default().Expand([]string{"Magento_Catalog::products", "Magento_Backend::all"}))
	// Output:
	// [Magento_Backend::admin Magento_Catalog::catalog Magento_Catalog::catalog_inventory Magento_Catalog::products]
}
