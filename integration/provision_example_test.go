package integration_test

import (
	"context"
	"fmt"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integration/xmlconfig"
	"github.com/magekit/magekit/store/memstore"
)

func ExampleService_Provision() {
	ctx := context.Background()
	s, err := memstore.New()
	if err != nil {
		panic(err)
	}
	svc := integration.NewService(s, integration.Config{StoreBaseURL: "https://shop.example/"})

	list, err := xmlconfig.ParseConsolidated(xmlconfig.File{
		Name: "Acme_Sync/etc/integration.xml",
		Data: []byte(`<config>
  <integration name="AcmeSync">
    <email>ops@acme.example</email>
    <resources><resource name="Magento_Sales::sales_order"/></resources>
  </integration>
</config>`),
	})
	if err != nil {
		panic(err)
	}

	// First setup:upgrade: created, Inactive, resources with their ancestors.
	res, err := svc.Provision(ctx, list)
	if err != nil {
		panic(err)
	}
	fmt.Println(res)
	in, _ := svc.Get(ctx, res.Integrations[0].ID)
	fmt.Println(in.Status, in.Resources)

	// The XML changes: the integration is deleted and created again.
	list[0].Email = "sync@acme.example"
	res, err = svc.Provision(ctx, list)
	if err != nil {
		panic(err)
	}
	fmt.Println(res)
	in, _ = svc.Get(ctx, res.Integrations[0].ID)
	fmt.Println(in.Status)
	fmt.Println(res.Notice())
	// Output:
	// "AcmeSync": created (id 1)
	// Inactive [Magento_Backend::admin Magento_Sales::sales Magento_Sales::sales_operation Magento_Sales::sales_order]
	// "AcmeSync": reset (id 2, was 1)
	// Reset
	// One or more <a href="https://shop.example/admin/admin/integration/">integrations</a> have been reset because of a change to their xml configs.
}
