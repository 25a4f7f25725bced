package xmlconfig_test

import (
	"fmt"
	"testing/fstest"

	"github.com/magekit/magekit/integration/xmlconfig"
)

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
	consolidated, legacy, err := xmlconfig.LoadDir(fsys)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n%+v\n", consolidated, legacy)
	// Output:
	// [{Name:AcmeSync Email:ops@acme.example Endpoint: IdentityLinkURL: Resources:[]}]
	// [{Name:AcmeLegacy Email:ops@acme.example Endpoint: IdentityLinkURL: Resources:[Magento_Catalog::products]}]
}

func ExampleParseConsolidated_errors() {
	_, err := xmlconfig.ParseConsolidated(xmlconfig.File{
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
