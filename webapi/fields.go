package webapi

import (
	"strconv"
	"strings"

	"github.com/magekit/magekit/webapi/internal/wire"
	"github.com/magekit/magekit/webapi/route"
)

// The fields query parameter filters a REST answer as Magento's
// Webapi\Rest\Response\FieldsFilter does, which
// Webapi\Controller\Rest\SynchronousRequestProcessor::process applies to
// every service answer that is an array, when the request's "fields"
// parameter is truthy in PHP's sense. Fixtures are such answers.

// fieldsArg is the request's "fields" parameter as PHP's parse_str gives
// it (the last pair whose name parse_str reads as "fields" decides): set
// is false when there is none, array is true when that pair gives an
// array ("fields[]=…").
type fieldsArg struct {
	value      string
	array, set bool
}

// fieldsParam reads the fields parameter of rawQuery.
func fieldsParam(rawQuery string) fieldsArg {
	var a fieldsArg
	for name, v := range queryPairs(rawQuery, "fields") {
		trimmed := strings.TrimLeft(name, " ")
		i := strings.IndexByte(trimmed, '[')
		a = fieldsArg{value: route.URLDecode(v), array: i > 0 && strings.IndexByte(trimmed[i:], ']') > 0, set: true}
	}
	return a
}

// fieldFilter is a parsed filter: each name maps to nil, keep the field
// whole, or to the filter of its own fields (an empty one keeps none).
type fieldFilter map[string]fieldFilter

// filterFields returns v as Magento's FieldsFilter answers it for the
// request's query, and whether the filter applied.
func filterFields(rawQuery string, v any) (any, bool) { return fieldsParam(rawQuery).filter(v) }

// filter returns v as FieldsFilter answers it, and whether the filter
// applied: when the parameter is truthy ("" and "0" are not) and v is an
// array (an Object or a List).
func (a fieldsArg) filter(v any) (any, bool) {
	if !a.set || !a.array && (a.value == "" || a.value == "0") {
		return v, false
	}
	switch v.(type) {
	case wire.Object, wire.List:
	default:
		return v, false
	}
	if a.array {
		return wire.List{}, true // filter: a parameter that is not a string gives []
	}
	f, ok := parseFields(a.value)
	if !ok {
		return wire.List{}, true
	}
	return applyFields(v, f), true
}

// parseFields is FieldsFilter::parse: "items[sku,name],total_count" reads
// as items (sku, name) and total_count. Only letters, digits, '_', '[',
// ']' and ',' may appear, and every '[' must be closed; ok is false
// otherwise. The state machine is PHP's, quirks included: a name is the
// last one read before its '[', and a ']' too many files the level under
// the name "".
func parseFields(s string) (f fieldFilter, ok bool) {
	if s == "" {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(isWordByte(c) || c == '[' || c == ']' || c == ',') {
			return nil, false
		}
	}
	current := fieldFilter{}
	var (
		stack   []fieldFilter
		parents []string
		element string
		start   = -1
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '[' || c == ']' || c == ',' {
			if start >= 0 {
				element = s[start:i]
				current[element] = nil
			}
			start = -1
		}
		switch c {
		case '[':
			parents = append(parents, element)
			stack = append(stack, current)
			current = fieldFilter{}
		case ']':
			inner, parent := current, ""
			current = fieldFilter{}
			if n := len(stack); n > 0 {
				current, stack = stack[n-1], stack[:n-1]
			}
			if n := len(parents); n > 0 {
				parent, parents = parents[n-1], parents[:n-1]
			}
			current[parent] = inner
		case ',':
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if len(stack) > 0 {
		return nil, false
	}
	if start >= 0 {
		current[s[start:]] = nil
	}
	return current, true
}

// isWordByte is PCRE's \w without the u flag: an ASCII letter, digit or '_'.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// applyFields is FieldsFilter::applyFilter over the array v (an Object or
// a List): a sequential array (no key but integers) has each item
// filtered, anything else its own keys. An empty sequential array gives
// null, as PHP's does. An item that is not an array, which PHP's
// type-checked call refuses with an error Magento does not catch, is kept
// as it is.
func applyFields(v any, f fieldFilter) any {
	entries := phpEntries(v)
	if !sequential(entries) {
		return intersect(entries, f)
	}
	if len(entries) == 0 {
		return nil
	}
	out := make(wire.Object, len(entries))
	for i, e := range entries {
		if !isArray(e.Value) {
			out[i] = e
			continue
		}
		out[i] = wire.Field{Key: e.Key, Value: intersect(phpEntries(e.Value), f)}
	}
	return wire.PHPArray(out)
}

// intersect is FieldsFilter::recursiveArrayIntersectKey: the entries
// whose keys f names, in their own order, each filtered again when f
// gives it fields and it is an array; custom_attributes by attribute code.
func intersect(entries wire.Object, f fieldFilter) any {
	out := wire.Object{}
	for _, e := range entries {
		sub, named := f[e.Key]
		if !named {
			continue
		}
		switch {
		case sub == nil || !isArray(e.Value):
		case e.Key == "custom_attributes":
			e.Value = filterCustomAttributes(phpEntries(e.Value), sub)
		default:
			e.Value = applyFields(e.Value, sub)
		}
		out = append(out, e)
	}
	return wire.PHPArray(out)
}

// filterCustomAttributes is FieldsFilter::filterCustomAttributes: an
// attribute whose code the filter names keeps its code and value; any
// other keeps its code if the filter names attribute_code and its value
// if the filter names value, and is left out when it keeps neither. Where
// PHP fails and Magento answers 500 (an attribute without attribute_code
// or value, read with a warning Magento turns into an exception; one that
// is not an array), the missing parts are null here; codes are compared as
// strings, where in_array is loose ("010" and "1e1" name 10 there).
func filterCustomAttributes(items wire.Object, f fieldFilter) any {
	out := wire.Object{}
	for _, it := range items {
		attr := phpEntries(it.Value)
		code, value := entryValue(attr, "attribute_code"), entryValue(attr, "value")
		var kept wire.Object
		if s, ok := scalarString(code); ok && hasKey(f, s) {
			kept = wire.Object{{Key: "attribute_code", Value: code}, {Key: "value", Value: value}}
		} else {
			if hasKey(f, "attribute_code") {
				kept = append(kept, wire.Field{Key: "attribute_code", Value: code})
			}
			if hasKey(f, "value") {
				kept = append(kept, wire.Field{Key: "value", Value: value})
			}
		}
		if kept != nil {
			out = append(out, wire.Field{Key: it.Key, Value: wire.PHPArray(kept)})
		}
	}
	return wire.PHPArray(out)
}

func hasKey(f fieldFilter, k string) bool { _, ok := f[k]; return ok }

// phpEntries returns the array v as PHP keys it: an Object's fields, a
// List's items under "0", "1", …; nil for anything else.
func phpEntries(v any) wire.Object {
	switch v := v.(type) {
	case wire.Object:
		return v
	case wire.List:
		o := make(wire.Object, len(v))
		for i, e := range v {
			o[i] = wire.Field{Key: strconv.Itoa(i), Value: e}
		}
		return o
	}
	return nil
}

func isArray(v any) bool {
	switch v.(type) {
	case wire.Object, wire.List:
		return true
	}
	return false
}

// sequential reports whether every key is an integer as PHP keys one
// (array_filter(array_keys(…), 'is_string') is empty).
func sequential(entries wire.Object) bool {
	for _, e := range entries {
		if !phpIntKey(e.Key) {
			return false
		}
	}
	return true
}

// phpIntKey reports whether PHP stores the array key k as an integer: a
// decimal integer without leading zeros, '+' or "-0", within int64.
func phpIntKey(k string) bool {
	if k == "0" {
		return true
	}
	digits := strings.TrimPrefix(k, "-")
	if digits == "" || digits[0] < '1' || digits[0] > '9' {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(k, 10, 64)
	return err == nil
}

func entryValue(entries wire.Object, key string) any {
	for _, e := range entries {
		if e.Key == key {
			return e.Value
		}
	}
	return nil
}

// scalarString is the string form PHP's loose in_array compares a code
// by, for the scalars a code can be.
func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case wire.Number:
		return string(v), true
	}
	return "", false
}
