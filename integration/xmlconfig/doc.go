// Package xmlconfig reads the XML in which Magento modules declare
// integrations (docs/magento-behaviour.md §12): the consolidated
// etc/integration.xml of Magento/Integration/etc/integration/integration.xsd,
// and the legacy pair etc/integration/config.xml and etc/integration/api.xml
// of Magento/Integration/etc/integration/config.xsd and api.xsd.
//
// [ParseConsolidated] and [ParseLegacy] parse and merge files as Magento's
// converters do, checking the XSDs and returning one *[Error] per
// violation; [LoadDir] finds the files of a module tree in an fs.FS; [Check]
// applies the rules that merged entries of both kinds share. The package
// writes nothing: the Provision methods of package integration apply the
// result as setup:upgrade does.
package xmlconfig
