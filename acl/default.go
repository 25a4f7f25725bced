package acl

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

//go:embed magento-2.4.7-acl.json
var magento247 []byte

// defaultTree parses the embedded tree once.
var defaultTree = sync.OnceValue(func() *Tree {
	t, err := parseJSON(magento247)
	if err != nil {
		// The embedded data is fixed at build time and the package tests
		// parse it, so this cannot happen in a tested build.
		panic("acl: embedded Magento 2.4.7 tree: " + err.Error())
	}
	return t
})

// Default returns the merged ACL tree of Magento Open Source 2.4.7-p3: 273
// resources, the roots [All] and [Admin] with 271 resources below Admin.
//
// The tree is parsed once, on first use, and shared by every caller; like
// every [Tree] it is immutable and safe for concurrent use.
func Default() *Tree {
	return defaultTree()
}

// jsonResource is a node of the embedded tree.
type jsonResource struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	SortOrder  int            `json:"sortOrder"`
	MergeOrder int            `json:"mergeOrder"`
	Children   []jsonResource `json:"children"`
}

// parseJSON builds a tree from the embedded JSON form.
func parseJSON(data []byte) (*Tree, error) {
	var doc struct {
		Resources []jsonResource `json:"resources"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Resources) == 0 {
		return nil, errors.New("no resources")
	}
	seen := make(map[string]bool)
	var convert func(parent *node, rs []jsonResource) ([]*node, error)
	convert = func(parent *node, rs []jsonResource) ([]*node, error) {
		var out []*node
		for _, r := range rs {
			if r.ID == "" || seen[r.ID] {
				return nil, fmt.Errorf("resource id %q empty or repeated", r.ID)
			}
			seen[r.ID] = true
			n := &node{id: r.ID, title: r.Title, sortOrder: r.SortOrder, seq: r.MergeOrder, parent: parent}
			var err error
			if n.children, err = convert(n, r.Children); err != nil {
				return nil, err
			}
			out = append(out, n)
		}
		return out, nil
	}
	roots, err := convert(nil, doc.Resources)
	if err != nil {
		return nil, err
	}
	return newTree(roots), nil
}
