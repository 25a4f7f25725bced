package acl_test

import (
	"testing"

	"github.com/magekit/magekit/acl"
)

func TestExtend(t *testing.T) {
	ext := acl.File{Name: "Acme_Sync/etc/acl.xml", Data: []byte(`<config><acl><resources>
		<resource id="Magento_Backend::admin">
			<resource id="Acme_Sync::sync" title="Acme Sync" sortOrder="5">
				<resource id="Acme_Sync::items" title="Items"/>
			</resource>
		</resource>
	</resources></acl></config>`)}
	tree, err := acl.Extend(acl.Default(), ext)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tree.Len(), acl.Default().Len()+2; got != want {
		t.Errorf("extended tree has %d resources, want %d", got, want)
	}
	if !tree.Under("Acme_Sync::items", "Magento_Backend::admin") {
		t.Error("Acme_Sync::items is not under Magento_Backend::admin")
	}
	r, ok := tree.Resource("Magento_Sales::sales")
	d, _ := acl.Default().Resource("Magento_Sales::sales")
	if !ok || r.Title != d.Title || r.SortOrder != d.SortOrder {
		t.Errorf("Magento_Sales::sales = %+v, want it as in the default tree", r)
	}
	if _, err := acl.Extend(acl.Default(), acl.File{Name: "bad.xml", Data: []byte("<config><acl><resources><resource>")}); err == nil {
		t.Error("Extend with a malformed file succeeded")
	}
}
