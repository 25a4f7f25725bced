package xmlconfig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxSize is the largest integration XML file, in bytes, that the
// parsers and [LoadDir] accept. Magento's own files are a few hundred bytes.
const MaxSize = 1 << 20

// maxConfigErrors bounds the violations reported for one file, so that a
// large broken file does not produce a megabyte of messages.
const maxConfigErrors = 50

// maxElemDepth bounds element nesting. The deepest valid element,
// <config><integration><resources><resource>, is at depth 4; anything
// deeper is a schema violation, reported without reading further down.
const maxElemDepth = 8

// The namespace of xsi:noNamespaceSchemaLocation and its kin, which XML
// Schema allows on every element.
const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// XSD patterns of docs/magento-behaviour.md §12.2, as Go regular expressions. XSD patterns are
// anchored, and XSD's "." matches any character but \n and \r; a negated
// class such as [^@] matches newlines in both languages.
var (
	emailPattern    = regexp.MustCompile(`\A[^@]+@[^.]+\.[^\n\r]+\z`)
	resourcePattern = regexp.MustCompile(`\A[^\n\r]+_[^\n\r]+::[^\n\r]+\z`)
)

// Rules as the XSDs state them, quoted in errors.
const (
	ruleEmail    = `[^@]+@[^\.]+\..+`
	ruleResource = `.+_.+::.+`
)

// Error is one violation of Magento's integration XML schemas (docs/magento-behaviour.md
// §12.2), one malformed or oversized file, or one entry the integration Service's
// Provision methods refuse. [ParseConsolidated], [ParseLegacy], [LoadDir]
// and the Provision methods return every violation they find, each a
// *Error, combined with errors.Join; match one with errors.As. A
// An Error is a plain value, safe to share. Its message keeps the
// "integration: " prefix it had before this package was split out.
type Error struct {
	// File is the name of the file, as given in [File.Name]. For a
	// rule checked after merging, it lists every file that declares the
	// integration, separated by ", ". It is "" for an entry that
	// integration.Service.Provision or ProvisionLegacy refuses.
	File string
	// Line is the line of the offending element, or 0 when unknown.
	Line int
	// Integration is the name attribute of the integration concerned, or
	// "" when the violation is outside any integration.
	Integration string
	// Rule says what is wrong, for example
	// `email "ops" does not match [^@]+@[^\.]+\..+`.
	Rule string
}

// Error returns "integration: FILE:LINE: integration "NAME": RULE", leaving
// out the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("integration: ")
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Integration != "" {
		b.WriteString("integration ")
		b.WriteString(strconv.Quote(e.Integration))
		b.WriteString(": ")
	}
	b.WriteString(e.Rule)
	return b.String()
}

// elem is one element of a parsed document: the little of a DOM that the
// schema checks and converters need.
type elem struct {
	name  xml.Name
	attrs []xml.Attr
	kids  []*elem
	text  []byte // character data directly inside, CDATA included
	line  int
}

// attr returns the value of the unqualified attribute name.
func (e *elem) attr(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// checker collects the violations found in one file.
type checker struct {
	file string
	errs []error
}

// fail records a violation; past maxConfigErrors it records one last
// error saying so and drops the rest.
func (c *checker) fail(line int, integration, format string, args ...any) {
	switch {
	case len(c.errs) < maxConfigErrors:
		c.errs = append(c.errs, &Error{File: c.file, Line: line, Integration: integration, Rule: fmt.Sprintf(format, args...)})
	case len(c.errs) == maxConfigErrors:
		c.errs = append(c.errs, &Error{File: c.file, Rule: "too many errors"})
	}
}

// err returns the violations joined, or nil.
func (c *checker) err() error { return errors.Join(c.errs...) }

// readTree parses f into an element tree. A file that is too large, not
// well-formed XML or nested too deep gives one *Error and a nil tree.
func readTree(f File) (*elem, error) {
	fail := func(line int, format string, args ...any) (*elem, error) {
		return nil, &Error{File: f.Name, Line: line, Rule: fmt.Sprintf(format, args...)}
	}
	if len(f.Data) > MaxSize {
		return fail(0, "file is %d bytes, more than the limit of %d", len(f.Data), MaxSize)
	}
	// libxml2 skips a UTF-8 byte order mark; encoding/xml would read it as
	// text before the root.
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))))
	d.CharsetReader = charsetReader
	var (
		root  *elem
		stack []*elem
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		line, _ := d.InputPos()
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return fail(se.Line, "malformed XML: %s", se.Msg)
			}
			return fail(line, "malformed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && root != nil {
				return fail(line, "malformed XML: second root element <%s>", tok.Name.Local)
			}
			if len(stack) == maxElemDepth {
				return fail(line, "elements nested deeper than %d", maxElemDepth)
			}
			e := &elem{name: tok.Name, attrs: normaliseAttrs(tok.Attr), line: line}
			if len(stack) == 0 {
				root = e
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			// The decoder has checked that the end tag matches.
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.text = append(p.text, tok...)
			} else if !isSpace(tok) {
				return fail(line, "malformed XML: text outside the root element")
			}
		}
	}
	if root == nil {
		return fail(0, "malformed XML: no root element")
	}
	return root, nil
}

// charsetReader decodes the encodings other than UTF-8 that an XML
// declaration may name and that are trivial to support: ISO-8859-1 (each
// byte is the code point) and US-ASCII.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "l1":
		data, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(data)+len(data)/8)
		for _, b := range data {
			out = utf8.AppendRune(out, rune(b))
		}
		return bytes.NewReader(out), nil
	case "us-ascii", "ascii":
		return in, nil
	}
	return nil, fmt.Errorf("encoding %q is not supported; use UTF-8", label)
}

// normaliseAttrs applies XML attribute-value normalisation, which
// encoding/xml leaves out: each literal tab, newline and carriage return
// becomes a space. (Character references such as &#10; should be kept;
// the decoder has already resolved them, so they are normalised too.)
func normaliseAttrs(attrs []xml.Attr) []xml.Attr {
	out := make([]xml.Attr, len(attrs))
	for i, a := range attrs {
		a.Value = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, a.Value)
		out[i] = a
	}
	return out
}

// isSpace reports whether b is XML white space only.
func isSpace(b []byte) bool {
	return len(bytes.Trim(b, " \t\n\r")) == 0
}

// collapse applies XSD's whitespace="collapse" facet, the one xs:anyURI
// has: tabs, newlines and carriage returns become spaces, runs of spaces
// one space, and leading and trailing spaces go.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}), " ")
}

// clip quotes s for an error message, shortened when long.
func clip(s string) string {
	const max = 64
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	r := []rune(s)
	return strconv.Quote(string(r[:max])) + "..."
}

// checkAttrs reports every attribute of e other than the allowed
// unqualified ones. Namespace declarations and xsi:* attributes are allowed
// everywhere, as XML Schema allows them.
func (c *checker) checkAttrs(e *elem, integration string, allowed ...string) {
	for _, a := range e.attrs {
		switch {
		case a.Name.Space == "xmlns", a.Name.Space == "" && a.Name.Local == "xmlns":
		case a.Name.Space == xsiNS, a.Name.Space == "xsi":
		case a.Name.Space == "" && slices.Contains(allowed, a.Name.Local):
		default:
			c.fail(e.line, integration, "attribute %s is not allowed on <%s>", attrName(a.Name), e.name.Local)
		}
	}
}

// checkElementOnly reports non-whitespace text in an element whose content
// type is element-only.
func (c *checker) checkElementOnly(e *elem, integration string) {
	if !isSpace(e.text) {
		c.fail(e.line, integration, "text is not allowed in <%s>", e.name.Local)
	}
}

// checkSimple reports child elements of an element whose type is simple,
// and returns its text.
func (c *checker) checkSimple(e *elem, integration string) string {
	for _, k := range e.kids {
		c.fail(k.line, integration, "element %s is not allowed in <%s>", qname(k.name), e.name.Local)
	}
	return string(e.text)
}

// checkName checks the name attribute of <integration> (use="required",
// integrationNameType: at least 2 characters). It returns the name as
// written, to label further errors, and whether it is valid.
func (c *checker) checkName(e *elem) (string, bool) {
	name, ok := e.attr("name")
	switch {
	case !ok:
		c.fail(e.line, "", "<integration> has no name attribute")
		return "", false
	case utf8.RuneCountInString(name) < 2:
		c.fail(e.line, name, "name %s is shorter than 2 characters", clip(name))
		return name, false
	}
	return name, true
}

// checkEmail checks an <email> element (emailType) and returns its value.
func (c *checker) checkEmail(e *elem, integration string) string {
	c.checkAttrs(e, integration)
	v := c.checkSimple(e, integration)
	if !emailPattern.MatchString(v) {
		c.fail(e.line, integration, "email %s does not match %s", clip(v), ruleEmail)
	}
	return v
}

// checkURL checks an <endpoint_url> or <identity_link_url> element
// (urlType: xs:anyURI, minimum length 4) and returns its value as written.
// The length counts characters after anyURI's whitespace collapse; the
// lenient lexical check libxml2 applies to anyURI is not reproduced.
func (c *checker) checkURL(e *elem, integration string) string {
	c.checkAttrs(e, integration)
	v := c.checkSimple(e, integration)
	if n := utf8.RuneCountInString(collapse(v)); n < 4 {
		c.fail(e.line, integration, "%s %s is shorter than 4 characters", e.name.Local, clip(v))
	}
	return v
}

// checkResources checks a <resources> element (resourcesType: one or more
// <resource name="…"/>) and returns the names in document order.
func (c *checker) checkResources(e *elem, integration string) []string {
	c.checkAttrs(e, integration)
	c.checkElementOnly(e, integration)
	var names []string
	for _, k := range e.kids {
		if !isLocal(k, "resource") {
			c.fail(k.line, integration, "element %s is not allowed in <resources>, want <resource>", qname(k.name))
			continue
		}
		c.checkAttrs(k, integration, "name")
		c.checkSimple(k, integration) // simpleContent: text is allowed and ignored
		name, ok := k.attr("name")
		switch {
		case !ok:
			c.fail(k.line, integration, "<resource> has no name attribute")
		case !resourcePattern.MatchString(name):
			c.fail(k.line, integration, "resource name %s does not match %s", clip(name), ruleResource)
		default:
			names = append(names, name)
		}
	}
	if len(e.kids) == 0 {
		c.fail(e.line, integration, "<resources> holds no <resource>")
	}
	return names
}

// isLocal reports whether e is the unqualified element local. The schemas
// have no target namespace, so a namespaced element never matches.
func isLocal(e *elem, local string) bool {
	return e.name.Space == "" && e.name.Local == local
}

// qname renders an element name for errors.
func qname(n xml.Name) string {
	return "<" + attrName(n) + ">"
}

// attrName renders an attribute name for errors: the namespace, as the
// decoder resolved it, then the local name.
func attrName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
