package xmlconfig_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration/xmlconfig"
)

// consolidated wraps integration elements in an integration.xml document.
func consolidated(inner string) []byte {
	return []byte(`<?xml version="1.0"?>
<config xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="urn:magento:module:Magento_Integration:etc/integration/integration.xsd">
` + inner + "\n</config>\n")
}

// integrations wraps integration elements in a legacy config.xml or api.xml
// document.
func integrations(inner string) []byte {
	return []byte("<?xml version=\"1.0\"?>\n<integrations>\n" + inner + "\n</integrations>\n")
}

func file(name string, data []byte) xmlconfig.File {
	return xmlconfig.File{Name: name, Data: data}
}

func TestParseConsolidated(t *testing.T) {
	tests := []struct {
		name  string
		files []xmlconfig.File
		want  []xmlconfig.Integration
	}{
		{
			name: "full",
			files: []xmlconfig.File{file("a.xml", consolidated(`
  <integration name="AcmeSync">
    <email>ops@acme.example</email>
    <endpoint_url>https://acme.example/magento/endpoint</endpoint_url>
    <identity_link_url>https://acme.example/magento/link</identity_link_url>
    <resources>
      <resource name="Magento_Sales::sales_order"/>
      <resource name="Magento_Catalog::products"/>
    </resources>
  </integration>`))},
			want: []xmlconfig.Integration{{Name: "AcmeSync", Email: "ops@acme.example",
				Endpoint: "https://acme.example/magento/endpoint", IdentityLinkURL: "https://acme.example/magento/link",
				Resources: []string{"Magento_Sales::sales_order", "Magento_Catalog::products"}}},
		},
		{
			name: "any order, minimal, comments and CDATA",
			files: []xmlconfig.File{file("a.xml", consolidated(`
  <integration name="B2"><resources><resource name="A_B::c">ignored text</resource></resources><!-- c --><email><![CDATA[x@y.z]]></email></integration>
  <integration name="Only"><email>o@p.q</email></integration>`))},
			want: []xmlconfig.Integration{
				{Name: "B2", Email: "x@y.z", Resources: []string{"A_B::c"}},
				{Name: "Only", Email: "o@p.q"},
			},
		},
		{
			name: "values kept as written",
			files: []xmlconfig.File{file("a.xml", consolidated(`
  <integration name=" spaced "><email> ops@acme.example</email><endpoint_url> https://e.example </endpoint_url></integration>`))},
			want: []xmlconfig.Integration{{Name: " spaced ", Email: " ops@acme.example", Endpoint: " https://e.example "}},
		},
		{
			name: "merge across files: later wins per field, resources union in first order",
			files: []xmlconfig.File{
				file("A/etc/integration.xml", consolidated(`
  <integration name="Sync"><email>first@acme.example</email><endpoint_url>https://one.example</endpoint_url>
    <resources><resource name="A_B::one"/><resource name="A_B::two"/></resources></integration>
  <integration name="Other"><email>other@acme.example</email></integration>`)),
				file("B/etc/integration.xml", consolidated(`
  <integration name="Sync"><email>second@acme.example</email><identity_link_url>https://link.example</identity_link_url>
    <resources><resource name="A_B::three"/><resource name="A_B::one"/></resources></integration>
  <integration name="Third"><email>third@acme.example</email></integration>`)),
			},
			want: []xmlconfig.Integration{
				{Name: "Sync", Email: "second@acme.example", Endpoint: "https://one.example", IdentityLinkURL: "https://link.example",
					Resources: []string{"A_B::one", "A_B::two", "A_B::three"}},
				{Name: "Other", Email: "other@acme.example"},
				{Name: "Third", Email: "third@acme.example"},
			},
		},
		{
			name: "per-file schema: e-mail may come from another file",
			files: []xmlconfig.File{
				file("a.xml", consolidated(`<integration name="Sync"><resources><resource name="A_B::one"/></resources></integration>`)),
				file("b.xml", consolidated(`<integration name="Sync"><email>ops@acme.example</email></integration>`)),
			},
			want: []xmlconfig.Integration{{Name: "Sync", Email: "ops@acme.example", Resources: []string{"A_B::one"}}},
		},
		{
			name: "same name twice in one file merges",
			files: []xmlconfig.File{file("a.xml", consolidated(`
  <integration name="Sync"><email>a@b.c</email><resources><resource name="A_B::one"/></resources></integration>
  <integration name="Sync"><email>d@e.f</email><resources><resource name="A_B::two"/><resource name="A_B::one"/></resources></integration>`))},
			want: []xmlconfig.Integration{{Name: "Sync", Email: "d@e.f", Resources: []string{"A_B::one", "A_B::two"}}},
		},
		{
			name: "byte order mark, Latin-1, DOCTYPE, xsi attributes everywhere",
			files: []xmlconfig.File{file("a.xml", []byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!DOCTYPE config>\n"+
				"<config><integration name=\"caf\xe9\" xsi:type=\"x\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><email>\xe9@b.c</email></integration></config>"))},
			want: []xmlconfig.Integration{{Name: "café", Email: "é@b.c"}},
		},
		{name: "no files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xmlconfig.ParseConsolidated(tt.files...)
			if err != nil {
				t.Fatalf("ParseConsolidated: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("ParseConsolidated (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLegacy(t *testing.T) {
	config := []xmlconfig.File{
		file("A/etc/integration/config.xml", integrations(`
  <integration name="Legacy">
    <email>ops@acme.example</email>
    <endpoint_url>https://acme.example/cb</endpoint_url>
  </integration>
  <integration name="NoAPI"><email>n@a.pi</email><identity_link_url>https://link.example</identity_link_url></integration>`)),
		file("B/etc/integration/config.xml", integrations(`
  <integration name="Legacy"><email>new@acme.example</email><identity_link_url>https://acme.example/link</identity_link_url></integration>`)),
	}
	api := []xmlconfig.File{
		file("A/etc/integration/api.xml", integrations(`
  <integration name="Legacy"><resources><resource name="Magento_Catalog::products"/></resources></integration>
  <integration name="Orphan"><resources><resource name="Magento_Catalog::products"/></resources></integration>`)),
		file("B/etc/integration/api.xml", integrations(`
  <integration name="Legacy"><resources><resource name="Magento_Sales::sales"/><resource name="Magento_Catalog::products"/></resources></integration>`)),
	}
	got, err := xmlconfig.ParseLegacy(config, api)
	if err != nil {
		t.Fatalf("ParseLegacy: %v", err)
	}
	want := []xmlconfig.Integration{
		{Name: "Legacy", Email: "new@acme.example", Endpoint: "https://acme.example/cb", IdentityLinkURL: "https://acme.example/link",
			Resources: []string{"Magento_Catalog::products", "Magento_Sales::sales"}},
		{Name: "NoAPI", Email: "n@a.pi", IdentityLinkURL: "https://link.example"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ParseLegacy (-want +got):\n%s", diff)
	}
}

// violation is an expected *Error: the message must hold each part.
type violation struct {
	file, integration, rule string
}

// wantViolations fails unless err joins exactly one *Error per want,
// in order, each naming the file, the integration and the rule.
func wantViolations(t *testing.T, err error, want ...violation) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %d violations", len(want))
	}
	var got []*xmlconfig.Error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ce *xmlconfig.Error
		if !errors.As(e, &ce) {
			t.Fatalf("error %v (%T) is not a *Error", e, e)
		}
		got = append(got, ce)
	}
	walk(err)
	if len(got) != len(want) {
		t.Fatalf("error = %v\nhas %d violations, want %d", err, len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.File != w.file || g.Integration != w.integration || !strings.Contains(g.Rule, w.rule) {
			t.Errorf("violation %d = {File: %q, Integration: %q, Rule: %q}, want {%q, %q, rule containing %q}",
				i, g.File, g.Integration, g.Rule, w.file, w.integration, w.rule)
		}
		msg := g.Error()
		for _, part := range []string{"integration: ", w.file, w.rule} {
			if !strings.Contains(msg, part) {
				t.Errorf("Error() = %q, want it to contain %q", msg, part)
			}
		}
		if w.integration != "" && !strings.Contains(msg, `integration "`+w.integration+`"`) {
			t.Errorf("Error() = %q, want it to name integration %q", msg, w.integration)
		}
	}
}

func TestParseConsolidatedErrors(t *testing.T) {
	const f = "Acme_Sync/etc/integration.xml"
	ok := `<email>ops@acme.example</email>`
	tests := []struct {
		name  string
		files []xmlconfig.File
		want  []violation
	}{
		{"bad XML", []xmlconfig.File{file(f, []byte(`<config><integration name="AB">`))},
			[]violation{{f, "", "malformed XML"}}},
		{"mismatched tag", []xmlconfig.File{file(f, []byte(`<config><integration name="AB"></config>`))},
			[]violation{{f, "", "malformed XML"}}},
		{"empty file", []xmlconfig.File{file(f, nil)}, []violation{{f, "", "no root element"}}},
		{"two roots", []xmlconfig.File{file(f, []byte(`<config/><config/>`))}, []violation{{f, "", "second root"}}},
		{"undefined entity", []xmlconfig.File{file(f, consolidated(`<integration name="AB"><email>&x;</email></integration>`))},
			[]violation{{f, "", "malformed XML"}}},
		{"unsupported encoding", []xmlconfig.File{file(f, []byte(`<?xml version="1.0" encoding="UTF-16"?><config/>`))},
			[]violation{{f, "", "not supported"}}},
		{"wrong root", []xmlconfig.File{file(f, integrations(`<integration name="AB">`+ok+`</integration>`))},
			[]violation{{f, "", "want <config>"}}},
		{"no integration", []xmlconfig.File{file(f, consolidated(``))}, []violation{{f, "", "holds no <integration>"}}},
		{"name too short", []xmlconfig.File{file(f, consolidated(`<integration name="A">`+ok+`</integration>`))},
			[]violation{{f, "A", "shorter than 2 characters"}}},
		{"name missing", []xmlconfig.File{file(f, consolidated(`<integration>`+ok+`</integration>`))},
			[]violation{{f, "", "no name attribute"}}},
		{"bad email", []xmlconfig.File{file(f, consolidated(`<integration name="AB"><email>ops</email></integration>`))},
			[]violation{{f, "AB", `email "ops" does not match [^@]+@[^\.]+\..+`}}},
		{"email without dot", []xmlconfig.File{file(f, consolidated(`<integration name="AB"><email>ops@acme</email></integration>`))},
			[]violation{{f, "AB", "does not match"}}},
		{"email ends in a newline", []xmlconfig.File{file(f, consolidated("<integration name=\"AB\"><email>ops@acme.example\n</email></integration>"))},
			[]violation{{f, "AB", "does not match"}}},
		{"short endpoint", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<endpoint_url>htt</endpoint_url></integration>`))},
			[]violation{{f, "AB", `endpoint_url "htt" is shorter than 4 characters`}}},
		{"short link after collapse", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<identity_link_url>  a b  </identity_link_url></integration>`))},
			[]violation{{f, "AB", "identity_link_url"}}},
		{"bad resource name", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<resources><resource name="Magento::sales"/></resources></integration>`))},
			[]violation{{f, "AB", `resource name "Magento::sales" does not match .+_.+::.+`}}},
		{"resource without name", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<resources><resource/></resources></integration>`))},
			[]violation{{f, "AB", "<resource> has no name"}}},
		{"empty resources", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<resources/></integration>`))},
			[]violation{{f, "AB", "holds no <resource>"}}},
		{"unknown element", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<status>1</status></integration>`))},
			[]violation{{f, "AB", "element <status> is not allowed in <integration>"}}},
		{"unknown element in resources", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<resources><resource name="A_B::c"/><acl/></resources></integration>`))},
			[]violation{{f, "AB", "element <acl> is not allowed in <resources>"}}},
		{"namespaced element", []xmlconfig.File{file(f, consolidated(`<integration name="AB"><x:email xmlns:x="urn:x">a@b.c</x:email>`+ok+`</integration>`))},
			[]violation{{f, "AB", "element <urn:x:email> is not allowed"}}},
		{"unknown attribute", []xmlconfig.File{file(f, consolidated(`<integration name="AB" status="1">`+ok+`</integration>`))},
			[]violation{{f, "AB", "attribute status is not allowed on <integration>"}}},
		{"element inside email", []xmlconfig.File{file(f, consolidated(`<integration name="AB"><email>a@b.c<b/></email></integration>`))},
			[]violation{{f, "AB", "element <b> is not allowed in <email>"}}},
		{"text in integration", []xmlconfig.File{file(f, consolidated(`<integration name="AB">hello`+ok+`</integration>`))},
			[]violation{{f, "AB", "text is not allowed in <integration>"}}},
		{"email twice", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+ok+`</integration>`))},
			[]violation{{f, "AB", "<email> appears more than once"}}},
		{"deep nesting", []xmlconfig.File{file(f, consolidated(`<integration name="AB">`+ok+`<a><b><c><d><e><f><g/></f></e></d></c></b></a></integration>`))},
			[]violation{{f, "", "nested deeper"}}},
		{"too large", []xmlconfig.File{file(f, make([]byte, xmlconfig.MaxSize+1))},
			[]violation{{f, "", "more than the limit"}}},
		{"email missing after merge", []xmlconfig.File{
			file("a.xml", consolidated(`<integration name="AB"><resources><resource name="A_B::c"/></resources></integration>`)),
			file("b.xml", consolidated(`<integration name="AB"><endpoint_url>https://e.example</endpoint_url></integration>`)),
		}, []violation{{"a.xml, b.xml", "AB", "<email> is required"}}},
		{"several violations in several files", []xmlconfig.File{
			file("a.xml", consolidated(`<integration name="AB"><email>bad</email><endpoint_url>x</endpoint_url></integration>`)),
			file("b.xml", consolidated(`<integration name="C">`+ok+`</integration>`)),
		}, []violation{{"a.xml", "AB", "email"}, {"a.xml", "AB", "endpoint_url"}, {"b.xml", "C", "shorter than 2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xmlconfig.ParseConsolidated(tt.files...)
			if got != nil {
				t.Errorf("ParseConsolidated returned %d integrations with an error", len(got))
			}
			wantViolations(t, err, tt.want...)
		})
	}
}

func TestParseErrorsBounded(t *testing.T) {
	var b strings.Builder
	for range 80 {
		b.WriteString(`<integration name="AB"><email>` + strings.Repeat("x", 1000) + `</email></integration>`)
	}
	_, err := xmlconfig.ParseConsolidated(file("big.xml", consolidated(b.String())))
	msg := err.Error()
	if n := strings.Count(msg, "\n") + 1; n != 51 || !strings.HasSuffix(msg, "integration: big.xml: too many errors") {
		t.Errorf("ParseConsolidated of 80 violations: %d lines ending %q, want 50 and a last \"too many errors\"", n, msg[max(0, len(msg)-60):])
	}
	if strings.Contains(msg, strings.Repeat("x", 65)) || !strings.Contains(msg, strings.Repeat("x", 64)+`"...`) {
		t.Errorf("long values are not clipped to 64 characters")
	}
}

func TestParseLegacyErrors(t *testing.T) {
	const c, a = "Acme/etc/integration/config.xml", "Acme/etc/integration/api.xml"
	okConfig := file(c, integrations(`<integration name="AB"><email>ops@acme.example</email></integration>`))
	okAPI := file(a, integrations(`<integration name="AB"><resources><resource name="A_B::c"/></resources></integration>`))
	tests := []struct {
		name        string
		config, api xmlconfig.File
		want        []violation
	}{
		{"config: bad XML", file(c, []byte(`<integrations><integration name="AB">`)), okAPI, []violation{{c, "", "malformed XML"}}},
		{"config: wrong root", file(c, consolidated(`<integration name="AB"/>`)), okAPI, []violation{{c, "", "want <integrations>"}}},
		{"config: email missing", file(c, integrations(`<integration name="AB"><endpoint_url>https://e.example</endpoint_url></integration>`)), okAPI,
			[]violation{{c, "AB", "<email> is required"}}},
		{"config: out of order", file(c, integrations(`<integration name="AB"><endpoint_url>https://e.example</endpoint_url><email>a@b.c</email></integration>`)), okAPI,
			[]violation{{c, "AB", "<email> is out of order"}}},
		{"config: repeated", file(c, integrations(`<integration name="AB"><email>a@b.c</email><endpoint_url>https://e.example</endpoint_url><endpoint_url>https://f.example</endpoint_url></integration>`)), okAPI,
			[]violation{{c, "AB", "<endpoint_url> is out of order or repeated"}}},
		{"config: resources not allowed", file(c, integrations(`<integration name="AB"><email>a@b.c</email><resources><resource name="A_B::c"/></resources></integration>`)), okAPI,
			[]violation{{c, "AB", "element <resources> is not allowed"}}},
		{"config: name too short", file(c, integrations(`<integration name="X"><email>a@b.c</email></integration>`)), okAPI,
			[]violation{{c, "X", "shorter than 2"}}},
		{"config: bad email", file(c, integrations(`<integration name="AB"><email>a.b@c</email></integration>`)), okAPI,
			[]violation{{c, "AB", "does not match"}}},
		{"config: short url", file(c, integrations(`<integration name="AB"><email>a@b.c</email><identity_link_url>a:b</identity_link_url></integration>`)), okAPI,
			[]violation{{c, "AB", "shorter than 4"}}},
		{"config: empty", file(c, integrations(``)), okAPI, []violation{{c, "", "holds no <integration>"}}},
		{"api: resources missing", okConfig, file(a, integrations(`<integration name="AB"></integration>`)),
			[]violation{{a, "AB", "<resources> is required"}}},
		{"api: resources twice", okConfig, file(a, integrations(`<integration name="AB"><resources><resource name="A_B::c"/></resources><resources><resource name="A_B::d"/></resources></integration>`)),
			[]violation{{a, "AB", "<resources> appears more than once"}}},
		{"api: empty resources", okConfig, file(a, integrations(`<integration name="AB"><resources/></integration>`)),
			[]violation{{a, "AB", "holds no <resource>"}}},
		{"api: bad resource name", okConfig, file(a, integrations(`<integration name="AB"><resources><resource name="Catalog::products"/></resources></integration>`)),
			[]violation{{a, "AB", "does not match .+_.+::.+"}}},
		{"api: email not allowed", okConfig, file(a, integrations(`<integration name="AB"><email>a@b.c</email><resources><resource name="A_B::c"/></resources></integration>`)),
			[]violation{{a, "AB", "element <email> is not allowed"}}},
		{"both files", file(c, integrations(`<integration name="AB"/>`)), file(a, integrations(`<integration name="AB"/>`)),
			[]violation{{c, "AB", "<email> is required"}, {a, "AB", "<resources> is required"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xmlconfig.ParseLegacy([]xmlconfig.File{tt.config}, []xmlconfig.File{tt.api})
			if got != nil {
				t.Errorf("ParseLegacy returned %d integrations with an error", len(got))
			}
			wantViolations(t, err, tt.want...)
		})
	}
}

func TestLoadDir(t *testing.T) {
	fsys := fstest.MapFS{
		// Module layout, read in sorted path order: B's file wins.
		"A_Mod/etc/integration.xml": {Data: consolidated(`<integration name="Sync"><email>a@acme.example</email><resources><resource name="A_B::one"/></resources></integration>`)},
		"B_Mod/etc/integration.xml": {Data: consolidated(`<integration name="Sync"><email>b@acme.example</email><resources><resource name="A_B::two"/></resources></integration>`)},
		// The app/code layout.
		"Vendor/Mod/etc/integration.xml": {Data: consolidated(`<integration name="Vendored"><email>v@acme.example</email></integration>`)},
		// Files at the root.
		"integration.xml":                  {Data: consolidated(`<integration name="Root"><email>r@acme.example</email></integration>`)},
		"L_Mod/etc/integration/config.xml": {Data: integrations(`<integration name="Legacy"><email>l@acme.example</email></integration>`)},
		"L_Mod/etc/integration/api.xml":    {Data: integrations(`<integration name="Legacy"><resources><resource name="A_B::one"/></resources></integration>`)},
		// Not integration XML.
		"A_Mod/etc/acl.xml":            {Data: []byte(`<config/>`)},
		"A_Mod/etc/module.xml":         {Data: []byte(`not even XML`)},
		"deep/a/b/etc/integration.xml": {Data: []byte(`ignored: too deep`)},
	}
	cons, legacy, err := xmlconfig.LoadDir(fsys)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	wantCons := []xmlconfig.Integration{
		{Name: "Sync", Email: "b@acme.example", Resources: []string{"A_B::one", "A_B::two"}},
		{Name: "Vendored", Email: "v@acme.example"},
		{Name: "Root", Email: "r@acme.example"},
	}
	if diff := cmp.Diff(wantCons, cons); diff != "" {
		t.Errorf("LoadDir consolidated (-want +got):\n%s", diff)
	}
	wantLegacy := []xmlconfig.Integration{{Name: "Legacy", Email: "l@acme.example", Resources: []string{"A_B::one"}}}
	if diff := cmp.Diff(wantLegacy, legacy); diff != "" {
		t.Errorf("LoadDir legacy (-want +got):\n%s", diff)
	}

	t.Run("module root", func(t *testing.T) {
		cons, legacy, err := xmlconfig.LoadDir(fstest.MapFS{
			"etc/integration.xml":        {Data: consolidated(`<integration name="Mod"><email>m@acme.example</email></integration>`)},
			"etc/integration/config.xml": {Data: integrations(`<integration name="Old"><email>o@acme.example</email></integration>`)},
		})
		if err != nil || len(cons) != 1 || cons[0].Name != "Mod" || len(legacy) != 1 || legacy[0].Name != "Old" {
			t.Fatalf("LoadDir(module) = %+v, %+v, %v; want Mod and Old", cons, legacy, err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		cons, legacy, err := xmlconfig.LoadDir(fstest.MapFS{"README": {Data: []byte("x")}})
		if cons != nil || legacy != nil || err != nil {
			t.Fatalf("LoadDir(empty) = %v, %v, %v; want nil, nil, nil", cons, legacy, err)
		}
	})
	t.Run("errors from every file", func(t *testing.T) {
		_, _, err := xmlconfig.LoadDir(fstest.MapFS{
			"A/etc/integration.xml":        {Data: make([]byte, xmlconfig.MaxSize+1)},
			"B/etc/integration.xml":        {Data: consolidated(`<integration name="B"><email>b@b.b</email></integration>`)},
			"C/etc/integration/config.xml": {Data: integrations(`<integration name="CC"/>`)},
		})
		wantViolations(t, err,
			violation{"A/etc/integration.xml", "", "larger than the limit"},
		)
		_, _, err = xmlconfig.LoadDir(fstest.MapFS{
			"B/etc/integration.xml":        {Data: consolidated(`<integration name="B"><email>b@b.b</email></integration>`)},
			"C/etc/integration/config.xml": {Data: integrations(`<integration name="CC"/>`)},
		})
		wantViolations(t, err,
			violation{"B/etc/integration.xml", "B", "shorter than 2"},
			violation{"C/etc/integration/config.xml", "CC", "<email> is required"},
		)
	})
}
