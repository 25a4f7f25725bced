package integration_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store/memstore"
)

func ExampleService_Provision() {
	ctx := context.Background()
	s, err := memstore.New()
	if err != nil {
		panic(err)
	}
	svc := integration.NewService(s, integration.Config{StoreBaseURL: "https://shop.example/"})

	list, err := integration.ParseConsolidated(integration.ConfigFile{
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

func ExampleLoadDir() {
	fsys := fstest.MapFS{
		"Acme_Sync/etc/integration.xml": {Data: []byte(`<config>
  <integration name="AcmeSync"><email>ops@acme.example</email></integration>
</config>`)},
		"Acme_Legacy/etc/integration/config.xml": {Data: []byte(`<integrations>
  <integration name="AcmeLegacy"><email>ops@acme.example</email></integration>
</integrations>`)},
		"Acme_Legacy/etc/integration/api.xml": {Data: []byte(`<integrations>
  <integration name="AcmeLegacy"><resources><resource name="Magento_Catalog::products"/></resources></integration>
</integrations>`)},
	}
	consolidated, legacy, err := integration.LoadDir(fsys)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n%+v\n", consolidated, legacy)
	// Output:
	// [{Name:AcmeSync Email:ops@acme.example Endpoint: IdentityLinkURL: Resources:[]}]
	// [{Name:AcmeLegacy Email:ops@acme.example Endpoint: IdentityLinkURL: Resources:[Magento_Catalog::products]}]
}

func ExampleParseConsolidated_errors() {
	_, err := integration.ParseConsolidated(integration.ConfigFile{
		Name: "Acme_Sync/etc/integration.xml",
		Data: []byte(`<config>
  <integration name="AcmeSync">
    <email>ops</email>
    <endpoint_url>x</endpoint_url>
  </integration>
</config>`),
	})
	fmt.Println(err)
	// Output:
	// integration: Acme_Sync/etc/integration.xml:3: integration "AcmeSync": email "ops" does not match [^@]+@[^\.]+\..+
	// integration: Acme_Sync/etc/integration.xml:4: integration "AcmeSync": endpoint_url "x" is shorter than 4 characters
}
