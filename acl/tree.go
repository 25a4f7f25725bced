package acl

import (
	"cmp"
	"slices"
)

// Magento's fixed resource ids and the two pseudo-resources that routes may
// reference (docs/magento-behaviour.md §10.3, §10.4).
const (
	// All is the root that stands for every resource. A grant of exactly
	// [All] is an "All" grant (docs/magento-behaviour.md §10.2).
	All = "Magento_Backend::all"
	// Admin is the root of the admin tree, the tree an admin edits.
	Admin = "Magento_Backend::admin"
	// Anonymous is the route ref that every caller passes.
	Anonymous = "anonymous"
	// Self is the route ref that a customer passes for their own data;
	// other callers are judged by the ACL.
	Self = "self"
)

// Resource is one node of a [Tree]. Resources belong to their Tree, which
// shares them with every caller: they must not be modified.
type Resource struct {
	ID        string
	Title     string
	SortOrder int
	Parent    *Resource   // nil for roots
	Children  []*Resource // display order: SortOrder, then merge order (first declared first)
}

// Tree is a merged ACL resource tree, built by [Parse] or [Default].
//
// A Tree is immutable after construction and safe for concurrent use. The
// zero Tree is an empty tree.
type Tree struct {
	roots []*Resource
	order []*Resource    // every resource in pre-order, display order
	index map[string]int // ID → position in order
	end   []int          // end[i]: position in order of the last resource of order[i]'s subtree
}

// Resource returns the resource with the given id and whether the tree has it.
func (t *Tree) Resource(id string) (*Resource, bool) {
	i, ok := t.index[id]
	if !ok {
		return nil, false
	}
	return t.order[i], true
}

// Roots returns the top-level resources in display order: [All] then
// [Admin] for the [Default] tree. The slice is the caller's; the resources
// are shared and must not be modified.
func (t *Tree) Roots() []*Resource {
	return slices.Clone(t.roots)
}

// Len returns the number of resources in the tree.
func (t *Tree) Len() int {
	return len(t.order)
}

// Walk calls fn for every resource in pre-order, roots first, siblings in
// display order, with depth 0 for the roots. When fn returns false, Walk
// skips that resource's descendants and goes on with its next sibling, the
// way [io/fs.SkipDir] prunes a directory; to stop early, return false from
// then on.
func (t *Tree) Walk(fn func(r *Resource, depth int) bool) {
	walk(t.roots, 0, fn)
}

func walk(rs []*Resource, depth int, fn func(*Resource, int) bool) {
	for _, r := range rs {
		if fn(r, depth) {
			walk(r.Children, depth+1, fn)
		}
	}
}

// Under reports whether id is a descendant of ancestor: a child, a
// grandchild, and so on. A resource is not under itself, and an id the tree
// does not know is under nothing. Under takes constant time.
func (t *Tree) Under(id, ancestor string) bool {
	i, ok := t.index[id]
	if !ok {
		return false
	}
	a, ok := t.index[ancestor]
	return ok && a < i && i <= t.end[a]
}

// Expand applies the resource expansion of Magento's consolidated
// integration.xml converter (docs/magento-behaviour.md §12.3): each id found under [Admin]
// contributes its ancestors below Admin, top-down, then itself; [Admin] is
// prepended when at least one id resolved; duplicates are dropped, keeping
// the first occurrence. Ids that are not under Admin are dropped: unknown
// ids, [All], and Admin itself.
//
// The order is therefore deterministic and follows the input, as Magento's
// array_unique does: [Admin] first, then for each input id in turn the
// not yet listed resources on its path. Expand returns nil when nothing
// resolved, or when the tree has no Admin resource.
func (t *Tree) Expand(ids []string) []string {
	admin, ok := t.index[Admin]
	if !ok {
		return nil
	}
	var out []string
	seen := make(map[int]bool)
	var path []int
	for _, id := range ids {
		i, ok := t.index[id]
		if !ok || i <= admin || i > t.end[admin] {
			continue
		}
		if len(out) == 0 {
			out = append(out, Admin)
		}
		path = path[:0]
		for r := t.order[i]; r.ID != Admin; r = r.Parent {
			path = append(path, t.index[r.ID])
		}
		for _, p := range slices.Backward(path) {
			if !seen[p] {
				seen[p] = true
				out = append(out, t.order[p].ID)
			}
		}
	}
	return out
}

// newTree orders the merged nodes for display, drops disabled subtrees and
// indexes what remains. Node ids must be unique.
func newTree(roots []*node) *Tree {
	t := &Tree{index: make(map[string]int)}
	t.roots = t.add(nil, roots)
	return t
}

// add appends nodes and their subtrees to t in pre-order and returns the
// resources made from them, in display order.
func (t *Tree) add(parent *Resource, nodes []*node) []*Resource {
	// Magento sorts siblings by sortOrder with a stable sort, so ties keep
	// the merged document order (TreeBuilder::build, PHP 8 usort).
	slices.SortFunc(nodes, func(a, b *node) int {
		return cmp.Or(cmp.Compare(a.sortOrder, b.sortOrder), cmp.Compare(a.seq, b.seq))
	})
	var out []*Resource
	for _, n := range nodes {
		if n.disabled {
			continue
		}
		r := &Resource{ID: n.id, Title: n.title, SortOrder: n.sortOrder, Parent: parent}
		i := len(t.order)
		t.index[n.id] = i
		t.order = append(t.order, r)
		t.end = append(t.end, i)
		r.Children = t.add(r, n.children)
		t.end[i] = len(t.order) - 1
		out = append(out, r)
	}
	return out
}
