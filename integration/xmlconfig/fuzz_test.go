package xmlconfig_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration/xmlconfig"
)

// The checks below restate the XSD rules of docs/magento-behaviour.md §12.2 without regular
// expressions, so that the fuzz targets do not trust the parser's own.

// emailOK is emailType: [^@]+@[^\.]+\..+, anchored, "." not matching
// \n or \r.
func emailOK(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 {
		return false
	}
	dot := strings.IndexByte(s[at+1:], '.')
	if dot < 1 {
		return false
	}
	rest := s[at+1+dot+1:]
	return rest != "" && !strings.ContainsAny(rest, "\n\r")
}

// resourceOK is resourceNameType: .+_.+::.+, anchored.
func resourceOK(s string) bool {
	if strings.ContainsAny(s, "\n\r") {
		return false
	}
	u := strings.IndexByte(s[min(1, len(s)):], '_') + 1 // first "_" after at least one character
	if u < 1 {
		return false
	}
	q := strings.LastIndex(s[:max(len(s)-1, 0)], "::") // last "::" followed by at least one character
	return q >= u+2
}

// TestSchemaCheckers pins the fuzz targets' own rule checks to examples.
func TestSchemaCheckers(t *testing.T) {
	for s, want := range map[string]bool{
		"a@b.c": true, "a@b.c.d": true, "a@@b.c": true, "@b.c": false, "a@.c": false, "a@b.": false,
		"a@b.c\n": false, "\na@b.c": true, "a@b\n.c": true, "a@b.c d": true, "ab.c": false,
	} {
		if got := emailOK(s); got != want {
			t.Errorf("emailOK(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{
		"Magento_Sales::sales": true, "a_b::c": true, "_a_b::c": true, "a_::b": false, "_b::c": false,
		"a_b::": false, "a_b:::": true, "ab::c_d::e": true, "a_b::c\n": false, "Magento::sales": false, "a_b:c": false,
	} {
		if got := resourceOK(s); got != want {
			t.Errorf("resourceOK(%q) = %v, want %v", s, got, want)
		}
	}
}

// urlOK is urlType: xs:anyURI of at least 4 characters after whitespace
// collapse.
func urlOK(s string) bool {
	return utf8.RuneCountInString(strings.Join(strings.Fields(s), " ")) >= 4
}

// checkParsed fails unless every integration satisfies the schemas' rules
// and names are unique.
func checkParsed(t *testing.T, list []xmlconfig.Integration) {
	t.Helper()
	names := make(map[string]bool)
	for _, in := range list {
		if names[in.Name] {
			t.Fatalf("name %q returned twice", in.Name)
		}
		names[in.Name] = true
		if utf8.RuneCountInString(in.Name) < 2 || strings.ContainsAny(in.Name, "\t\n\r") {
			t.Fatalf("name %q accepted", in.Name)
		}
		if !emailOK(in.Email) {
			t.Fatalf("integration %q: email %q accepted", in.Name, in.Email)
		}
		for _, u := range []string{in.Endpoint, in.IdentityLinkURL} {
			if u != "" && !urlOK(u) {
				t.Fatalf("integration %q: URL %q accepted", in.Name, u)
			}
		}
		seen := make(map[string]bool)
		for _, r := range in.Resources {
			if !resourceOK(r) || seen[r] {
				t.Fatalf("integration %q: resource %q accepted (or repeated)", in.Name, r)
			}
			seen[r] = true
		}
	}
}

// latin1 is a CharsetReader for the ISO-8859-1 and US-ASCII documents the
// parsers accept.
func latin1(label string, in io.Reader) (io.Reader, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	if l := strings.ToLower(label); l == "us-ascii" || l == "ascii" {
		return bytes.NewReader(data), nil
	}
	var out []byte
	for _, b := range data {
		out = utf8.AppendRune(out, rune(b))
	}
	return bytes.NewReader(out), nil
}

// esc escapes s for text or a double-quoted attribute.
func esc(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		panic(err) // strings.Builder does not fail
	}
	return b.String()
}

// renderConsolidated writes list back as one integration.xml document.
func renderConsolidated(list []xmlconfig.Integration) []byte {
	var b strings.Builder
	b.WriteString("<config>")
	for _, in := range list {
		b.WriteString(`<integration name="` + esc(in.Name) + `"><email>` + esc(in.Email) + `</email>`)
		if in.Endpoint != "" {
			b.WriteString("<endpoint_url>" + esc(in.Endpoint) + "</endpoint_url>")
		}
		if in.IdentityLinkURL != "" {
			b.WriteString("<identity_link_url>" + esc(in.IdentityLinkURL) + "</identity_link_url>")
		}
		if len(in.Resources) > 0 {
			b.WriteString("<resources>")
			for _, r := range in.Resources {
				b.WriteString(`<resource name="` + esc(r) + `"/>`)
			}
			b.WriteString("</resources>")
		}
		b.WriteString("</integration>")
	}
	b.WriteString("</config>")
	return []byte(b.String())
}

// renderLegacy writes list back as a config.xml and an api.xml document.
func renderLegacy(list []xmlconfig.Integration) (config, api []byte) {
	var c, a strings.Builder
	c.WriteString("<integrations>")
	a.WriteString("<integrations>")
	for _, in := range list {
		c.WriteString(`<integration name="` + esc(in.Name) + `"><email>` + esc(in.Email) + `</email>`)
		if in.Endpoint != "" {
			c.WriteString("<endpoint_url>" + esc(in.Endpoint) + "</endpoint_url>")
		}
		if in.IdentityLinkURL != "" {
			c.WriteString("<identity_link_url>" + esc(in.IdentityLinkURL) + "</identity_link_url>")
		}
		c.WriteString("</integration>")
		if len(in.Resources) > 0 {
			a.WriteString(`<integration name="` + esc(in.Name) + `"><resources>`)
			for _, r := range in.Resources {
				a.WriteString(`<resource name="` + esc(r) + `"/>`)
			}
			a.WriteString("</resources></integration>")
		}
	}
	c.WriteString("</integrations>")
	a.WriteString("</integrations>")
	if a.Len() == len("<integrations></integrations>") {
		return []byte(c.String()), nil
	}
	return []byte(c.String()), []byte(a.String())
}

// files makes a file list of the non-nil documents.
func files(name string, docs ...[]byte) []xmlconfig.File {
	var out []xmlconfig.File
	for _, d := range docs {
		if d != nil {
			out = append(out, file(name, d))
		}
	}
	return out
}

func FuzzParseConsolidated(f *testing.F) {
	f.Add(consolidated(`<integration name="AcmeSync"><email>ops@acme.example</email>
  <endpoint_url>https://acme.example/magento/endpoint</endpoint_url><identity_link_url>https://acme.example/link</identity_link_url>
  <resources><resource name="Magento_Sales::sales_order"/><resource name="Magento_Catalog::products"/></resources></integration>`))
	f.Add(consolidated(`<integration name="B2"><resources><resource name="A_B::c">t</resource></resources><email><![CDATA[x@y.z]]></email></integration>
<integration name="B2"><email>a@b.c</email><resources><resource name="A_B::d"/></resources></integration>`))
	f.Add(consolidated(`<integration name=" a&#9;b "><email> a&#10;@b.c </email><endpoint_url>  a b  c </endpoint_url></integration>`))
	f.Add(consolidated(`<integration name="A"><email>ops</email><endpoint_url>x</endpoint_url><resources/></integration>`))
	f.Add(consolidated(`<integration name="AB"><email>a@b.c</email><foo/></integration>`))
	f.Add([]byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><config><integration name=\"\xe9t\xe9\"><email>\xe9@b.c</email></integration></config>"))
	f.Add([]byte(`<config><integration name="AB"><email>a@b.c</email>`))
	f.Add([]byte(`<config xmlns="urn:x"><integration name="AB"><email>a@b.c</email></integration></config>`))
	f.Add([]byte(`<!DOCTYPE config [<!ENTITY e "x@y.z">]><config><integration name="AB"><email>&e;</email></integration></config>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := xmlconfig.ParseConsolidated(file("integration.xml", data))
		if err != nil {
			if got != nil {
				t.Fatalf("ParseConsolidated returned integrations with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "integration: integration.xml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		checkParsed(t, got)
		again, err := xmlconfig.ParseConsolidated(file("rendered.xml", renderConsolidated(got)))
		if err != nil {
			t.Fatalf("ParseConsolidated of the rendered result: %v\n%s", err, renderConsolidated(got))
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("rendered result parses differently (-first +again):\n%s", diff)
		}
	})
}

func FuzzParseLegacyConfig(f *testing.F) {
	f.Add(integrations(`<integration name="AcmeLegacy"><email>ops@acme.example</email><endpoint_url>https://acme.example/cb</endpoint_url></integration>`))
	f.Add(integrations(`<integration name="AB"><email>a@b.c</email><endpoint_url>http://e</endpoint_url><identity_link_url>http://l</identity_link_url></integration>
<integration name="AB"><email>d@e.f</email></integration><!-- c --><integration name="CD"><email>g@h.i</email></integration>`))
	f.Add(integrations(`<integration name="AB"><endpoint_url>https://e.example</endpoint_url><email>a@b.c</email></integration>`))
	f.Add(integrations(`<integration name="AB"><email>a@b.c</email><email>a@b.c</email></integration>`))
	f.Add(integrations(`<integration name="A"/>`))
	f.Add([]byte(`<integrations/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := xmlconfig.ParseLegacy(files("config.xml", data), nil)
		if err != nil {
			if got != nil {
				t.Fatalf("ParseLegacy returned integrations with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "integration: config.xml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		checkParsed(t, got)
		for _, in := range got {
			if in.Resources != nil {
				t.Fatalf("integration %q has resources without api.xml", in.Name)
			}
		}
		config, api := renderLegacy(got)
		again, err := xmlconfig.ParseLegacy(files("config.xml", config), files("api.xml", api))
		if err != nil {
			t.Fatalf("ParseLegacy of the rendered result: %v\n%s", err, config)
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("rendered result parses differently (-first +again):\n%s", diff)
		}
	})
}

func FuzzParseLegacyAPI(f *testing.F) {
	f.Add(integrations(`<integration name="AcmeLegacy"><resources><resource name="Magento_Catalog::products"/></resources></integration>`))
	f.Add(integrations(`<integration name="AB"><resources><resource name="A_B::c"/><resource name="A_B::d">x</resource></resources></integration>
<integration name="AB"><resources><resource name="A_B::c"/><resource name="_a_b::c"/></resources></integration>`))
	f.Add(integrations(`<integration name="AB"></integration>`))
	f.Add(integrations(`<integration name="AB"><resources/><resources/></integration>`))
	f.Add(integrations(`<integration name="AB"><resources><resource name="a_::b"/><resource name="ab::c_d::e"/></resources></integration>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := xmlconfig.ParseLegacy(nil, files("api.xml", data))
		if err != nil {
			if got != nil {
				t.Fatalf("ParseLegacy returned integrations with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "integration: api.xml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if got != nil {
			t.Fatalf("ParseLegacy without config.xml returned %d integrations", len(got))
		}
		// Declare every integration the document names, to see its
		// resources.
		var doc struct {
			Integrations []struct {
				Name string `xml:"name,attr"`
			} `xml:"integration"`
		}
		d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
		d.CharsetReader = latin1
		if err := d.Decode(&doc); err != nil {
			t.Fatalf("xml.Decode of a document ParseLegacy accepted: %v", err)
		}
		var config strings.Builder
		config.WriteString("<integrations>")
		for _, in := range doc.Integrations {
			config.WriteString(`<integration name="` + esc(in.Name) + `"><email>a@b.c</email></integration>`)
		}
		config.WriteString("</integrations>")
		got, err = xmlconfig.ParseLegacy(files("config.xml", []byte(config.String())), files("api.xml", data))
		if err != nil {
			t.Fatalf("ParseLegacy with a matching config.xml: %v\n%s", err, config.String())
		}
		checkParsed(t, got)
		for _, in := range got {
			if len(in.Resources) == 0 {
				t.Fatalf("integration %q accepted without resources", in.Name)
			}
		}
		c, a := renderLegacy(got)
		again, err := xmlconfig.ParseLegacy(files("config.xml", c), files("api.xml", a))
		if err != nil {
			t.Fatalf("ParseLegacy of the rendered result: %v\n%s\n%s", err, c, a)
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("rendered result parses differently (-first +again):\n%s", diff)
		}
	})
}
