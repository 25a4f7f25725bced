package wire

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// xnode is an element of an XML request body.
type xnode struct {
	name     string
	text     strings.Builder
	children []*xnode
}

// maxXMLDepth is how deep elements may nest in an XML body: libxml2's
// default limit, which Magento's XML parser runs under. Deeper bodies are
// a decoding error; without a limit, nesting would be bounded only by the
// body size and the recursive conversion below could exhaust the stack.
const maxXMLDepth = 256

// MaxXMLElements bounds the elements of one XML body, so that a body of
// millions of empty elements cannot make the decoder hold millions of
// nodes: the memory a body costs stays a small multiple of its size.
const MaxXMLElements = 100_000

// XMLParams decodes an XML body as Magento's XML deserializer does
// (Xml\Parser::xmlToArray, then the root element's value): the root's child
// elements are the parameters; an element with children becomes an object
// of its children (a name repeated becomes a list), any other its text.
// Attributes are ignored. A body that is not well formed XML, or nests
// deeper than maxXMLDepth, or has more than MaxXMLElements elements, gives
// an error wrapping [ErrMalformed].
func XMLParams(b []byte) (map[string]json.RawMessage, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var root *xnode
	var stack []*xnode
	elements := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, ErrMalformed
			}
			if elements++; elements > MaxXMLElements {
				return nil, fmt.Errorf("%w: more than %d elements", ErrMalformed, MaxXMLElements)
			}
			n := &xnode{name: t.Name.Local}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil || len(stack) > 0 {
		return nil, ErrMalformed
	}
	params := make(map[string]json.RawMessage)
	for name, v := range xmlObject(root) {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		params[name] = raw
	}
	return params, nil
}

// xmlObject returns the children of n by name.
func xmlObject(n *xnode) map[string]any {
	out := make(map[string]any, len(n.children))
	for _, c := range n.children {
		v := xmlValue(c)
		switch prev, seen := out[c.name]; {
		case !seen:
			out[c.name] = v
		default:
			if l, isList := prev.([]any); isList {
				out[c.name] = append(l, v)
			} else {
				out[c.name] = []any{prev, v}
			}
		}
	}
	return out
}

// xmlValue is an element's value: its children, or its text.
func xmlValue(n *xnode) any {
	if len(n.children) > 0 {
		return xmlObject(n)
	}
	return n.text.String()
}

// ErrMalformed is the error of an XML body that does not decode.
var ErrMalformed = errors.New("wire: malformed XML body")
