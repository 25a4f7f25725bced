// Package wire writes and reads Magento's REST wire formats: values built
// from an ordered model ([Object], [List], strings, integers, booleans,
// nil) written as PHP's json_encode and Magento's XML renderer write them,
// and XML request bodies read as Magento's XML deserializer reads them.
package wire
