package admin

import (
	"slices"

	"github.com/magekit/magekit/acl"
)

// adminRoot is the ACL node whose children the resource tree shows
// (docs/magento-admin.md §3.3).
const adminRoot = "Magento_Backend::admin"

// treeNode is one resource of the tree drawn by the form and the dialogs.
type treeNode struct {
	ID       string
	Title    string
	Selected bool
	Children []treeNode
}

// fullTree returns the children of Magento_Backend::admin with the
// resources of selected checked, as the form's editable tree shows them
// (I/Helper/Data.php::mapResources): a node is checked when its id is in
// the stored list, nothing cascades on load.
func fullTree(t *acl.Tree, selected []string) []treeNode {
	root, ok := t.Resource(adminRoot)
	if !ok {
		return nil
	}
	return mapNodes(root.Children, func(id string) bool { return slices.Contains(selected, id) }, false)
}

// grantedTree returns the read-only tree of the permissions dialog: only
// the granted resources, recursing only into granted nodes; with all every
// resource counts as granted (docs/magento-admin.md §4.2).
func grantedTree(t *acl.Tree, all bool, selected []string) []treeNode {
	root, ok := t.Resource(adminRoot)
	if !ok {
		return nil
	}
	return mapNodes(root.Children, func(id string) bool { return all || slices.Contains(selected, id) }, true)
}

// mapNodes converts resources; with onlySelected, unselected nodes and
// their subtrees are dropped.
func mapNodes(rs []*acl.Resource, selected func(string) bool, onlySelected bool) []treeNode {
	var out []treeNode
	for _, r := range rs {
		s := selected(r.ID)
		if onlySelected && !s {
			continue
		}
		out = append(out, treeNode{ID: r.ID, Title: r.Title, Selected: s, Children: mapNodes(r.Children, selected, onlySelected)})
	}
	return out
}
