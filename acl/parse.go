package acl

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxDepth is the deepest nesting of resource elements that [Parse]
// accepts. Magento 2.4.7's tree is 7 levels deep.
const MaxDepth = 64

// File is one etc/acl.xml document. Name identifies it in errors, for
// example "Magento_Sales/etc/acl.xml".
type File struct {
	Name string
	Data []byte
}

// Parse parses Magento etc/acl.xml files and merges them in order, as
// Magento merges the files of its enabled modules (docs/magento-behaviour.md §10.4):
//
//   - A resource is identified by its id. A file that repeats an id under
//     the same parent extends that resource: it may add children, and the
//     attributes it sets (title, sortOrder, disabled) overwrite earlier ones.
//     This is how a module attaches its resources under another module's.
//   - sortOrder defaults to 0. Siblings are displayed by sortOrder, ties in
//     merge order: the sibling declared first comes first.
//   - A resource whose merged disabled attribute is exactly "true" is
//     dropped with its whole subtree, as Magento's TreeBuilder does.
//
// The documents are <config><acl><resources> with nested <resource id=""
// title="" sortOrder=""> elements; other attributes (translate, the schema
// location) are ignored, and any other element is an error.
//
// Parse returns an error, naming the file, the line and the resource id
// where one applies, for malformed XML, a resource without an id, a
// sortOrder that is not an integer, an id declared under two different
// parents, an id nested inside itself (a cycle), an id declared twice under
// the same parent in one file, and resource nesting deeper than [MaxDepth].
// It never panics. Parse with no files returns an empty tree. Bounding the
// size of the input is the caller's concern.
func Parse(files ...File) (*Tree, error) {
	b := builder{byID: make(map[string]*node)}
	for i, f := range files {
		name := f.Name
		if name == "" {
			name = fmt.Sprintf("file %d", i+1)
		}
		if err := b.parse(name, f.Data); err != nil {
			return nil, err
		}
	}
	return newTree(b.roots), nil
}

// node is a resource while files are being merged.
type node struct {
	id        string
	title     string
	sortOrder int
	disabled  bool
	seq       int // merge order among its siblings
	parent    *node
	children  []*node
	where     string // file:line of its first declaration, for errors
}

// builder merges the files into one forest of nodes.
type builder struct {
	roots []*node
	byID  map[string]*node
}

// The element that is expected at each nesting level above the resources;
// from there on every element is a resource.
var levels = [...]string{"config", "acl", "resources"}

// parse merges one file into b.
func (b *builder) parse(name string, data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		depth    int     // open elements
		open     []*node // open resource elements
		sawRoot  bool
		declared = make(map[*node]bool) // declared by this file
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("acl: %s: %w", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			line, _ := d.InputPos()
			where := fmt.Sprintf("%s:%d", name, line)
			switch {
			case depth == 0 && sawRoot:
				return fmt.Errorf("acl: %s: second root element <%s>", where, tok.Name.Local)
			case depth < len(levels):
				if tok.Name.Local != levels[depth] {
					return fmt.Errorf("acl: %s: unexpected element <%s>, want <%s>", where, tok.Name.Local, levels[depth])
				}
				sawRoot = true
			case tok.Name.Local != "resource":
				return fmt.Errorf("acl: %s: unexpected element <%s>, want <resource>", where, tok.Name.Local)
			case len(open) == MaxDepth:
				return fmt.Errorf("acl: %s: resources nested deeper than %d", where, MaxDepth)
			default:
				var parent *node
				if len(open) > 0 {
					parent = open[len(open)-1]
				}
				n, err := b.declare(parent, tok.Attr, where, declared)
				if err != nil {
					return err
				}
				open = append(open, n)
			}
			depth++
		case xml.EndElement:
			// The decoder has checked that the end tag matches.
			depth--
			if depth >= len(levels) {
				open = open[:len(open)-1]
			}
		}
	}
	if !sawRoot {
		return fmt.Errorf("acl: %s: no <config> element", name)
	}
	return nil
}

// declare merges one <resource> element, found under parent (nil at the
// top level), into b.
func (b *builder) declare(parent *node, attrs []xml.Attr, where string, declared map[*node]bool) (*node, error) {
	var id, title, sortOrder, disabled *string
	for i := range attrs {
		a := &attrs[i]
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "id":
			id = &a.Value
		case "title":
			title = &a.Value
		case "sortOrder":
			sortOrder = &a.Value
		case "disabled":
			disabled = &a.Value
		}
	}
	if id == nil || *id == "" {
		return nil, fmt.Errorf("acl: %s: resource without id under %s", where, describe(parent))
	}
	n, ok := b.byID[*id]
	switch {
	case !ok:
		n = &node{id: *id, parent: parent, where: where}
		if parent == nil {
			n.seq = len(b.roots)
			b.roots = append(b.roots, n)
		} else {
			n.seq = len(parent.children)
			parent.children = append(parent.children, n)
		}
		b.byID[*id] = n
	case n.parent != parent:
		for p := parent; p != nil; p = p.parent {
			if p == n {
				return nil, fmt.Errorf("acl: %s: resource %q nested inside itself", where, *id)
			}
		}
		return nil, fmt.Errorf("acl: %s: resource %q declared under %s conflicts with its definition under %s at %s",
			where, *id, describe(parent), describe(n.parent), n.where)
	case declared[n]:
		return nil, fmt.Errorf("acl: %s: resource %q declared twice under %s in one file", where, *id, describe(parent))
	}
	declared[n] = true
	if title != nil {
		n.title = *title
	}
	if sortOrder != nil {
		v, err := strconv.ParseInt(strings.TrimSpace(*sortOrder), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("acl: %s: resource %q: sortOrder %q is not an integer", where, *id, *sortOrder)
		}
		n.sortOrder = int(v)
	}
	if disabled != nil {
		// Magento's converter compares the string with "true" only.
		n.disabled = *disabled == "true"
	}
	return n, nil
}

// describe names a parent in errors.
func describe(parent *node) string {
	if parent == nil {
		return "<resources>"
	}
	return strconv.Quote(parent.id)
}
