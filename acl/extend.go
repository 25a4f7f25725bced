package acl

import (
	"bytes"
	"encoding/xml"
	"strconv"
)

// Extend returns the tree that base and files make together, as Magento
// merges the acl.xml files of extension modules into its own: the files
// are parsed after base, by [Parse]'s rules, so they may attach resources
// under base's and add roots. base is not changed. Errors are Parse's.
func Extend(base *Tree, files ...File) (*Tree, error) {
	return Parse(append([]File{{Name: "the base tree", Data: base.xml()}}, files...)...)
}

// xml renders t as one acl.xml document, in display order, with each
// resource's title and sort order.
func (t *Tree) xml() []byte {
	var b bytes.Buffer
	b.WriteString("<config><acl><resources>")
	var write func(rs []*Resource)
	write = func(rs []*Resource) {
		for _, r := range rs {
			b.WriteString(`<resource id="`)
			_ = xml.EscapeText(&b, []byte(r.ID))
			b.WriteString(`" title="`)
			_ = xml.EscapeText(&b, []byte(r.Title))
			b.WriteString(`" sortOrder="`)
			b.WriteString(strconv.Itoa(r.SortOrder))
			b.WriteString(`">`)
			write(r.Children)
			b.WriteString("</resource>")
		}
	}
	write(t.roots)
	b.WriteString("</resources></acl></config>")
	return b.Bytes()
}
