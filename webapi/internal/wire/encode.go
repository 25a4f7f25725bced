package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The values this package answers with are built from a small ordered
// model, so that JSON and XML keep Magento's key order: Object (a PHP
// associative array), List (a PHP List), string, int64, bool and nil.
type (
	// Field is one key and value of an Object.
	Field struct {
		Key   string
		Value any
	}
	// Object is a PHP associative array, its keys in order.
	Object []Field
	// List is a PHP list.
	List []any
	// Number is a JSON number as it was written (a fixture's), written
	// back as it is.
	Number string
)

// appendJSON appends v as PHP's json_encode with no flags writes it (the
// encoder behind Magento's REST JSON renderer): '/' escaped as "\/",
// non-ASCII as \uXXXX (UTF-16, lower-case hex), and an empty array, Object
// or List, as "[]".
func AppendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case string:
		return appendJSONString(b, v)
	case Number:
		return append(b, v...)
	case Object:
		if len(v) == 0 {
			return append(b, "[]"...)
		}
		b = append(b, '{')
		for i, f := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f.Key)
			b = append(b, ':')
			b = AppendJSON(b, f.Value)
		}
		return append(b, '}')
	case List:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSON(b, e)
		}
		return append(b, ']')
	}
	panic("wire: unsupported value in payload") // a bug in this package
}

// appendJSONString appends s quoted as json_encode quotes it. Invalid UTF-8
// becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '/':
				b = append(b, '\\', c)
			case c == '\b':
				b = append(b, `\b`...)
			case c == '\f':
				b = append(b, `\f`...)
			case c == '\n':
				b = append(b, `\n`...)
			case c == '\r':
				b = append(b, `\r`...)
			case c == '\t':
				b = append(b, `\t`...)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		units := []rune{r}
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			units = []rune{r1, r2}
		}
		for _, u := range units {
			b = append(b, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
		}
	}
	return append(b, '"')
}

// AppendXML appends v as Magento's REST XML renderer writes it
// (Webapi\Rest\Response\Renderer\Xml, Xml\Generator::arrayToXml): the
// value wrapped in <response>, formatted as DOMDocument::saveXML does with
// formatOutput on (two-space indentation, text-only elements on one line,
// empty ones as <x/>), the items of a List, or of an Object whose keys are
// all digits, named "item", other keys cleaned as the renderer's
// _prepareKey and the generator do (two keys that clean alike are one
// element, in the first one's place, with the last one's value), and
// non-ASCII written as character references because the document
// declares no encoding. A key that cleans to no valid element name makes
// DOM throw in Magento; check v with [CheckXML] first.
func AppendXML(b []byte, v any) []byte {
	b = append(b, "<?xml version=\"1.0\"?>\n"...)
	b = appendXMLElement(b, "response", v, 0)
	return append(b, '\n')
}

func appendXMLElement(b []byte, name string, v any, depth int) []byte {
	indent := func(b []byte, depth int) []byte {
		for range depth {
			b = append(b, ' ', ' ')
		}
		return b
	}
	b = indent(b, depth)
	var children []Field
	switch v := v.(type) {
	case Object:
		children = xmlChildren(v)
	case List:
		for _, e := range v {
			children = append(children, Field{"item", e})
		}
	default:
		b = append(b, '<')
		b = append(b, name...)
		b = append(b, '>')
		b = appendXMLText(b, xmlScalar(v))
		b = append(b, "</"...)
		b = append(b, name...)
		return append(b, '>')
	}
	if len(children) == 0 {
		b = append(b, '<')
		b = append(b, name...)
		return append(b, "/>"...)
	}
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, ">\n"...)
	for _, c := range children {
		b = appendXMLElement(b, c.Key, c.Value, depth+1)
		b = append(b, '\n')
	}
	b = indent(b, depth)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// xmlChildren are the child elements of the Object o: "item" for each
// value when the keys, joined, are digits only (the renderer's _formatData
// then takes o for a list), else one per cleaned key, a key cleaned alike
// again replacing the value in its first place.
func xmlChildren(o Object) []Field {
	if digitKeys(o) {
		children := make([]Field, len(o))
		for i, f := range o {
			children[i] = Field{"item", f.Value}
		}
		return children
	}
	children := make([]Field, 0, len(o))
	at := make(map[string]int, len(o))
	for _, f := range o {
		k := xmlKey(f.Key)
		if i, ok := at[k]; ok {
			children[i].Value = f.Value
			continue
		}
		at[k] = len(children)
		children = append(children, Field{k, f.Value})
	}
	return children
}

// digitKeys reports whether implode("", array_keys(o)) matches ^\d+$.
func digitKeys(o Object) bool {
	n := 0
	for _, f := range o {
		for i := 0; i < len(f.Key); i++ {
			if f.Key[i] < '0' || f.Key[i] > '9' {
				return false
			}
		}
		n += len(f.Key)
	}
	return n > 0
}

// ErrXMLName is CheckXML's error: DOMDocument::createElement refuses the
// name a key cleans to ("Invalid Character Error"), which Magento does not
// catch: a 500.
var ErrXMLName = errors.New("wire: a key cleans to no valid XML element name")

// CheckXML reports whether AppendXML can write v as Magento does: every
// key of every Object that is not taken for a list cleans to a name DOM
// accepts (not empty, not starting with a digit or '-').
func CheckXML(v any) error {
	switch v := v.(type) {
	case Object:
		list := digitKeys(v)
		for _, f := range v {
			if !list {
				if k := xmlKey(f.Key); k == "" || k[0] == '-' || k[0] >= '0' && k[0] <= '9' {
					return fmt.Errorf("%w: %q", ErrXMLName, f.Key)
				}
			}
			if err := CheckXML(f.Value); err != nil {
				return err
			}
		}
	case List:
		for _, e := range v {
			if err := CheckXML(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// xmlScalar is the renderer's _formatValue: booleans become "true" and
// "false", everything else its string form (null the empty one).
func xmlScalar(v any) string {
	var s string
	switch v := v.(type) {
	case bool:
		s = strconv.FormatBool(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case int:
		s = strconv.Itoa(v)
	case string:
		s = v
	case Number:
		s = string(v)
	}
	return s
}

// appendXMLText escapes s as libxml escapes a text node of a document
// without an encoding.
func appendXMLText(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '\r':
			b = append(b, "&#13;"...)
		case r >= utf8.RuneSelf:
			b = append(b, "&#x"...)
			b = append(b, strings.ToUpper(strconv.FormatInt(int64(r), 16))...)
			b = append(b, ';')
		default:
			b = append(b, byte(r))
		}
	}
	return b
}

// xmlKey is the renderer's _prepareKey followed by the generator's removal
// of characters outside [\w-].
func xmlKey(k string) string {
	k = strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == ':':
			return '_'
		case strings.ContainsRune("!\"#$%&'()*+,/;<=>?@[\\]^`{|}~", r):
			return -1
		}
		return r
	}, k)
	k = strings.Trim(k, "_")
	if k != "" && (k[0] >= '0' && k[0] <= '9' || k[0] == ',' || k[0] == '.' || k[0] == '-') {
		k = "item_" + k
	}
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (isWord(byte(r)) || r == '-') {
			return r
		}
		return -1
	}, k)
}

// isWord reports whether c is an ASCII letter, digit or '_'.
func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
