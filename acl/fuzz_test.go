package acl_test

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/acl"
)

// render writes tree back as one acl.xml document, children in display
// order.
func render(tree *acl.Tree) []byte {
	var b strings.Builder
	b.WriteString("<config><acl><resources>")
	var write func(rs []*acl.Resource)
	write = func(rs []*acl.Resource) {
		for _, r := range rs {
			fmt.Fprintf(&b, `<resource id="%s" title="%s" sortOrder="%d">`, escape(r.ID), escape(r.Title), r.SortOrder)
			write(r.Children)
			b.WriteString("</resource>")
		}
	}
	write(tree.Roots())
	b.WriteString("</resources></acl></config>")
	return []byte(b.String())
}

func escape(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		panic(err) // strings.Builder does not fail
	}
	return b.String()
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(backendXML), []byte(acmeXML))
	f.Add([]byte(acmeXML), []byte(backendXML))
	f.Add([]byte(backendXML), []byte(underAdmin(`<resource id="Magento_Backend::dashboard" sortOrder="95" disabled="true"/>`)))
	f.Add([]byte(underAdmin(`<resource id="A_B::a" title="A &amp; B" sortOrder="40"/><resource id="A_B::b" sortOrder="40"/>`)),
		[]byte(underAdmin(`<resource id="A_B::a"><resource id="A_B::c" title="C"/></resource>`)))
	f.Add([]byte(resourcesXML(`<resource id="A_B::a"><resource id="A_B::a"/></resource>`)), []byte(nil))
	f.Add([]byte(`<config><acl><resources><resource title="x"/></resources></acl></config>`), []byte(`<config>`))
	f.Add([]byte("<?xml version=\"1.0\"?>\n<config xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><acl><resources><resource id=\"X::y\" title=\"\u00e9\"/></resources></acl></config>"), []byte(""))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		tree, err := acl.Parse(acl.File{Name: "a.xml", Data: a}, acl.File{Name: "b.xml", Data: b})
		if err != nil {
			if tree != nil {
				t.Fatalf("Parse returned a tree with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "acl: ") {
				t.Fatalf("Parse error %q lacks the acl: prefix", err)
			}
			return
		}
		checkTree(t, tree)
		again, err := acl.Parse(acl.File{Name: "rendered.xml", Data: render(tree)})
		if err != nil {
			t.Fatalf("Parse of the rendered tree: %v\n%s", err, render(tree))
		}
		if diff := cmp.Diff(dump(tree), dump(again)); diff != "" {
			t.Fatalf("rendered tree parses differently (-first +again):\n%s", diff)
		}
	})
}
