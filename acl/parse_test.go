package acl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/acl"
)

// backendXML is a cut-down Magento_Backend/etc/acl.xml.
const backendXML = `<?xml version="1.0"?>
<config xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="urn:magento:framework:Acl/etc/acl.xsd">
    <acl>
        <resources>
            <resource id="Magento_Backend::all" title="Allow everything" translate="title" sortOrder="10"/>
            <resource id="Magento_Backend::admin" title="Magento Admin" translate="title" sortOrder="20">
                <resource id="Magento_Backend::dashboard" title="Dashboard" translate="title" sortOrder="0"/>
                <resource id="Magento_Backend::system" title="System" translate="title" sortOrder="90"/>
            </resource>
        </resources>
    </acl>
</config>
`

// acmeXML is the docs/magento-behaviour.md §10.4 example: a module that extends the admin tree.
const acmeXML = `<config>
  <acl>
    <resources>
      <resource id="Magento_Backend::admin">
        <resource id="Acme_Sync::root" title="Acme Sync" sortOrder="200">
          <resource id="Acme_Sync::read" title="Read" sortOrder="10"/>
        </resource>
      </resource>
    </resources>
  </acl>
</config>
`

// resourcesXML wraps resource elements in a complete acl.xml document.
func resourcesXML(inner string) string {
	return `<config><acl><resources>` + inner + `</resources></acl></config>`
}

// underAdmin wraps resource elements in Magento_Backend::admin.
func underAdmin(inner string) string {
	return resourcesXML(`<resource id="Magento_Backend::admin">` + inner + `</resource>`)
}

func files(docs ...string) []acl.File {
	fs := make([]acl.File, len(docs))
	for i, d := range docs {
		fs[i] = acl.File{Name: fmt.Sprintf("Module%d/etc/acl.xml", i+1), Data: []byte(d)}
	}
	return fs
}

// dump renders tree as one line per resource: indentation, id, title and
// sortOrder.
func dump(tree *acl.Tree) []string {
	var lines []string
	tree.Walk(func(r *acl.Resource, depth int) bool {
		lines = append(lines, fmt.Sprintf("%s%s %q %d", strings.Repeat("  ", depth), r.ID, r.Title, r.SortOrder))
		return true
	})
	return lines
}

func TestParseMerge(t *testing.T) {
	tests := []struct {
		name string
		docs []string
		want []string
	}{
		{
			name: "module extends admin",
			docs: []string{backendXML, acmeXML},
			want: []string{
				`Magento_Backend::all "Allow everything" 10`,
				`Magento_Backend::admin "Magento Admin" 20`,
				`  Magento_Backend::dashboard "Dashboard" 0`,
				`  Magento_Backend::system "System" 90`,
				`  Acme_Sync::root "Acme Sync" 200`,
				`    Acme_Sync::read "Read" 10`,
			},
		},
		{
			name: "module file first",
			docs: []string{acmeXML, backendXML},
			want: []string{
				`Magento_Backend::all "Allow everything" 10`,
				`Magento_Backend::admin "Magento Admin" 20`,
				`  Magento_Backend::dashboard "Dashboard" 0`,
				`  Magento_Backend::system "System" 90`,
				`  Acme_Sync::root "Acme Sync" 200`,
				`    Acme_Sync::read "Read" 10`,
			},
		},
		{
			name: "later file overwrites the attributes it sets",
			docs: []string{backendXML, underAdmin(`<resource id="Magento_Backend::dashboard" sortOrder="95"/><resource id="Magento_Backend::system" title="Systems"/>`)},
			want: []string{
				`Magento_Backend::all "Allow everything" 10`,
				`Magento_Backend::admin "Magento Admin" 20`,
				`  Magento_Backend::system "Systems" 90`,
				`  Magento_Backend::dashboard "Dashboard" 95`,
			},
		},
		{
			name: "ties in merge order",
			docs: []string{
				underAdmin(`<resource id="Magento_Customer::customer" title="Customers" sortOrder="40"/><resource id="Magento_Sales::sales" title="Sales" sortOrder="20"/>`),
				underAdmin(`<resource id="Magento_Cart::cart" title="Carts" sortOrder="40"/><resource id="Magento_Analytics::analytics" title="Analytics" sortOrder="40"/>`),
			},
			want: []string{
				`Magento_Backend::admin "" 0`,
				`  Magento_Sales::sales "Sales" 20`,
				`  Magento_Customer::customer "Customers" 40`,
				`  Magento_Cart::cart "Carts" 40`,
				`  Magento_Analytics::analytics "Analytics" 40`,
			},
		},
		{
			name: "sortOrder defaults to 0",
			docs: []string{underAdmin(`<resource id="A_B::late" sortOrder=" 5 "/><resource id="A_B::early"/><resource id="A_B::negative" sortOrder="-1"/>`)},
			want: []string{
				`Magento_Backend::admin "" 0`,
				`  A_B::negative "" -1`,
				`  A_B::early "" 0`,
				`  A_B::late "" 5`,
			},
		},
		{
			name: "disabled dropped with subtree",
			docs: []string{backendXML, underAdmin(`<resource id="Magento_Config::advanced" title="Advanced" disabled="true"><resource id="Magento_Config::child" title="Child"/></resource>`)},
			want: []string{
				`Magento_Backend::all "Allow everything" 10`,
				`Magento_Backend::admin "Magento Admin" 20`,
				`  Magento_Backend::dashboard "Dashboard" 0`,
				`  Magento_Backend::system "System" 90`,
			},
		},
		{
			name: "disabled by a later file",
			docs: []string{backendXML, acmeXML, underAdmin(`<resource id="Acme_Sync::root" disabled="true"/>`)},
			want: []string{
				`Magento_Backend::all "Allow everything" 10`,
				`Magento_Backend::admin "Magento Admin" 20`,
				`  Magento_Backend::dashboard "Dashboard" 0`,
				`  Magento_Backend::system "System" 90`,
			},
		},
		{
			name: "re-enabled by a later file",
			docs: []string{
				underAdmin(`<resource id="Acme_Sync::root" title="Acme Sync" disabled="true"/>`),
				underAdmin(`<resource id="Acme_Sync::root" disabled="false"/>`),
			},
			want: []string{
				`Magento_Backend::admin "" 0`,
				`  Acme_Sync::root "Acme Sync" 0`,
			},
		},
		{
			name: "only the string true disables",
			docs: []string{underAdmin(`<resource id="A_B::one" disabled="1"/><resource id="A_B::yes" disabled="TRUE"/>`)},
			want: []string{
				`Magento_Backend::admin "" 0`,
				`  A_B::one "" 0`,
				`  A_B::yes "" 0`,
			},
		},
		{
			name: "empty documents",
			docs: []string{`<config/>`, `<config><acl/></config>`, `<config><acl><resources/></acl></config>`},
			want: nil,
		},
		{
			name: "comments, text and processing instructions ignored",
			docs: []string{"<?xml version=\"1.0\"?>\n<!-- c -->\n<config><!-- c --><acl>text<resources><resource id=\"A_B::c\">\n<!-- c --></resource></resources></acl></config>\n"},
			want: []string{`A_B::c "" 0`},
		},
		{
			name: "no files",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := acl.Parse(files(tt.docs...)...)
			if err != nil {
				t.Fatalf("Parse() error: %v", err)
			}
			checkTree(t, tree)
			if diff := cmp.Diff(tt.want, dump(tree)); diff != "" {
				t.Errorf("Parse() tree mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDepth(t *testing.T) {
	nested := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<resource id="A_B::r%d">`, i)
		}
		b.WriteString(strings.Repeat(`</resource>`, n))
		return resourcesXML(b.String())
	}
	tree, err := acl.Parse(files(nested(acl.MaxDepth))...)
	if err != nil {
		t.Fatalf("Parse(depth %d) error: %v", acl.MaxDepth, err)
	}
	if tree.Len() != acl.MaxDepth {
		t.Errorf("Parse(depth %d).Len() = %d, want %d", acl.MaxDepth, tree.Len(), acl.MaxDepth)
	}
	_, err = acl.Parse(files(nested(acl.MaxDepth + 1))...)
	if err == nil || !strings.Contains(err.Error(), "deeper than 64") {
		t.Errorf("Parse(depth %d) error = %v, want nested deeper than 64", acl.MaxDepth+1, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		docs []string
		want []string // substrings of the error
	}{
		{
			name: "malformed XML",
			docs: []string{`<config><acl><resources><resource id="A_B::a"></resources></acl></config>`},
			want: []string{"Module1/etc/acl.xml", "syntax error"},
		},
		{
			name: "truncated",
			docs: []string{backendXML, `<config><acl>`},
			want: []string{"Module2/etc/acl.xml", "unexpected EOF"},
		},
		{
			name: "empty document",
			docs: []string{``},
			want: []string{"Module1/etc/acl.xml", "no <config> element"},
		},
		{
			name: "wrong root element",
			docs: []string{`<acl><resources/></acl>`},
			want: []string{"Module1/etc/acl.xml:1", "<acl>", "want <config>"},
		},
		{
			name: "second root element",
			docs: []string{`<config/><config/>`},
			want: []string{"Module1/etc/acl.xml:1", "second root element"},
		},
		{
			name: "unexpected element",
			docs: []string{underAdmin(`<resource id="A_B::a"><title>x</title></resource>`)},
			want: []string{"Module1/etc/acl.xml:1", "unexpected element <title>"},
		},
		{
			name: "resource without id",
			docs: []string{backendXML, underAdmin(`<resource title="Nameless"/>`)},
			want: []string{"Module2/etc/acl.xml:1", "resource without id", `"Magento_Backend::admin"`},
		},
		{
			name: "empty id",
			docs: []string{resourcesXML(`<resource id="" title="Nameless"/>`)},
			want: []string{"Module1/etc/acl.xml:1", "resource without id", "<resources>"},
		},
		{
			name: "bad sortOrder",
			docs: []string{underAdmin(`<resource id="A_B::a" sortOrder="ten"/>`)},
			want: []string{"Module1/etc/acl.xml:1", `"A_B::a"`, `sortOrder "ten"`},
		},
		{
			name: "sortOrder out of range",
			docs: []string{underAdmin(`<resource id="A_B::a" sortOrder="99999999999"/>`)},
			want: []string{"Module1/etc/acl.xml:1", `"A_B::a"`, "not an integer"},
		},
		{
			name: "conflicting parents across files",
			docs: []string{
				backendXML,
				acmeXML,
				"<config><acl><resources>\n<resource id=\"Magento_Backend::admin\">\n<resource id=\"Magento_Backend::system\">\n<resource id=\"Acme_Sync::read\"/>\n</resource></resource></resources></acl></config>",
			},
			want: []string{"Module3/etc/acl.xml:4", `"Acme_Sync::read"`, `under "Magento_Backend::system"`, `under "Acme_Sync::root"`, "Module2/etc/acl.xml:6"},
		},
		{
			name: "conflicting parents in one file",
			docs: []string{resourcesXML(`<resource id="A_B::x"><resource id="A_B::c"/></resource><resource id="A_B::y"><resource id="A_B::c"/></resource>`)},
			want: []string{"Module1/etc/acl.xml:1", `"A_B::c"`, "conflicts"},
		},
		{
			name: "root redeclared as child",
			docs: []string{backendXML, underAdmin(`<resource id="Magento_Backend::all"/>`)},
			want: []string{"Module2/etc/acl.xml:1", `"Magento_Backend::all"`, "conflicts", "<resources>"},
		},
		{
			name: "cycle on itself",
			docs: []string{resourcesXML(`<resource id="A_B::a"><resource id="A_B::a"/></resource>`)},
			want: []string{"Module1/etc/acl.xml:1", `"A_B::a"`, "nested inside itself"},
		},
		{
			name: "cycle through a descendant",
			docs: []string{
				resourcesXML(`<resource id="A_B::a"><resource id="A_B::b"/></resource>`),
				resourcesXML(`<resource id="A_B::a"><resource id="A_B::b"><resource id="A_B::a"/></resource></resource>`),
			},
			want: []string{"Module2/etc/acl.xml:1", `"A_B::a"`, "nested inside itself"},
		},
		{
			name: "declared twice in one file",
			docs: []string{underAdmin(`<resource id="A_B::a"/><resource id="A_B::a"/>`)},
			want: []string{"Module1/etc/acl.xml:1", `"A_B::a"`, "declared twice"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := acl.Parse(files(tt.docs...)...)
			if err == nil {
				t.Fatalf("Parse() = %v tree, nil error, want error containing %q", dump(tree), tt.want)
			}
			if tree != nil {
				t.Errorf("Parse() returned a tree with error %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse() error = %q, want it to contain %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "acl: ") {
				t.Errorf("Parse() error = %q, want prefix %q", err, "acl: ")
			}
		})
	}
}

func TestParseUnnamedFile(t *testing.T) {
	_, err := acl.Parse(acl.File{Data: []byte(backendXML)}, acl.File{Data: []byte(`<config>`)})
	if err == nil || !strings.Contains(err.Error(), "file 2") {
		t.Errorf("Parse() error = %v, want it to name %q", err, "file 2")
	}
}
