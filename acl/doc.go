// Package acl is Magento's ACL for the Web API: the resource tree that
// etc/acl.xml files declare, the grants that integrations and admin roles
// hold, and the check of a route's resource refs (docs/magento-behaviour.md §10).
//
// A [Tree] is the merged resource tree. [Parse] merges acl.xml files by id
// as Magento does (docs/magento-behaviour.md §10.4) and [Default] returns the tree of Magento
// 2.4.7. [Tree.Compile] turns a [Grant] (All, or a Custom list of ids) into a
// [Set], which answers [Set.Allowed] for one resource and [Set.Check] for a
// route's refs with Magento's rules: AND over the refs, [Anonymous] always
// allowed, [Self] allowed for customers, parents never implied, and ids the
// tree does not know allowed only by an All grant (docs/magento-behaviour.md §10.3). [Denied]
// formats the refs for the 401 error. [Tree.Expand] adds the ancestors that
// a config-based integration's resources imply (docs/magento-behaviour.md §12.3).
//
// The package does no I/O and imports nothing from magekit. Trees and Sets
// are immutable and safe for concurrent use; Check does not allocate, as it
// runs on every REST call.
//
// # Usage
//
// Compile a grant once, when an integration is saved or its token verified,
// and check each request against it:
//
//	tree := acl.Default()
//	set, err := tree.Compile(acl.Grant{Resources: []string{"Magento_Catalog::products"}})
//	if err != nil {
//		return err // names every unknown id; errors.Is(err, acl.ErrUnknownResource)
//	}
//	refs := []string{"Magento_Catalog::products"} // the route's <resource ref>s
//	if !set.Check(user.Integration, refs) {
//		// 401 "The consumer isn't authorized to access %resources."
//		// with resources = acl.Denied(refs)
//	}
//
// A deployment with its own modules merges their acl.xml files after
// Magento's own, in module order:
//
//	tree, err := acl.Parse(
//		acl.File{Name: "Magento_Backend/etc/acl.xml", Data: backend},
//		acl.File{Name: "Acme_Sync/etc/acl.xml", Data: acme},
//	)
//
// # The embedded tree
//
// [Default] is built from magento-2.4.7-acl.json in this directory: the
// merged tree of Magento Open Source 2.4.7-p3, every etc/acl.xml (73 files)
// merged in module order, as read from the public GitHub repository
// AbdelhamidYousef/vanilla-magento at commit
// ae09662c7268f96a5e5af11402f0b1e556a172f6 (docs/magento-behaviour.md,
// "Embedded data", says how they were merged), trimmed once with a few
// lines of Python to the fields the tree needs (id,
// title, sortOrder, mergeOrder, children) with children listed in display
// order; mergeOrder is a resource's position among its siblings in merge
// order, Magento's tie-break for equal sortOrders.
package acl
