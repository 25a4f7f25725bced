package xmlconfig

import (
	"errors"
	"slices"
	"strings"
)

// File is one integration XML document. Name identifies it in
// errors, for example "Acme_Sync/etc/integration.xml".
type File struct {
	Name string
	Data []byte
}

// Integration is an integration declared in XML (docs/magento-behaviour.md §12), after
// the files were merged. Values are kept as written, surrounding white
// space included, as Magento's converters keep them (attribute values
// after XML's normalisation of tabs and line breaks to spaces).
type Integration struct {
	Name  string
	Email string
	// Endpoint is <endpoint_url>, "" when absent.
	Endpoint string
	// IdentityLinkURL is <identity_link_url>, "" when absent.
	IdentityLinkURL string
	// Resources are the names of the <resource> elements in order of first
	// appearance, duplicates dropped. They are not expanded: for
	// integration.xml, integration.Service.Provision adds the ancestors.
	Resources []string
}

// decl is one integration as the files declare it, while they are merged.
type decl struct {
	Integration
	files []string // the files declaring it, in order, for merged errors
}

// merger merges declarations by integration name, keeping the order in
// which names first appear.
type merger struct {
	order  []*decl
	byName map[string]*decl
}

// add merges d in: a field d sets overwrites the earlier value, resources
// are added to the union, and the file is noted.
func (m *merger) add(d Integration, file string) {
	if m.byName == nil {
		m.byName = make(map[string]*decl)
	}
	cur, ok := m.byName[d.Name]
	if !ok {
		cur = &decl{Integration: Integration{Name: d.Name}}
		m.byName[d.Name] = cur
		m.order = append(m.order, cur)
	}
	if d.Email != "" {
		cur.Email = d.Email
	}
	if d.Endpoint != "" {
		cur.Endpoint = d.Endpoint
	}
	if d.IdentityLinkURL != "" {
		cur.IdentityLinkURL = d.IdentityLinkURL
	}
	for _, r := range d.Resources {
		if !slices.Contains(cur.Resources, r) {
			cur.Resources = append(cur.Resources, r)
		}
	}
	if !slices.Contains(cur.files, file) {
		cur.files = append(cur.files, file)
	}
}

// ParseConsolidated parses etc/integration.xml files (docs/magento-behaviour.md §12.1) and
// merges them in the order given, as Magento's consolidated reader merges
// the files of its modules:
//
//   - Integrations are identified by name. A later declaration of the same
//     name sets the e-mail, endpoint and identity link URL it gives and
//     keeps the others; resources are merged by name into one list, in
//     order of first appearance. Several declarations in one file merge
//     the same way.
//   - Each file is checked against integration_file.xsd: root <config>
//     with one or more <integration name="…"> (name of at least 2
//     characters); in each, in any order and at most once, <email>
//     (pattern [^@]+@[^\.]+\..+), <endpoint_url> and <identity_link_url>
//     (xs:anyURI of at least 4 characters) and <resources> with one or more
//     <resource name="…"/> (pattern .+_.+::.+). Any other element or
//     attribute, and text where only elements belong, is a violation;
//     namespace declarations and xsi:* attributes are allowed.
//   - The merged result is checked against integration.xsd, where <email>
//     is required.
//
// Files larger than [MaxSize] are refused. ParseConsolidated returns
// every violation, each a *[Error] naming the file, the integration
// and the rule, joined with errors.Join, and then no integrations. It
// never panics and is safe for concurrent use. No files give no
// integrations and no error.
func ParseConsolidated(files ...File) ([]Integration, error) {
	var m merger
	errs := m.addFiles(files, (*checker).consolidated)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var out []Integration
	for _, d := range m.order {
		if d.Email == "" {
			errs = append(errs, &Error{File: strings.Join(d.files, ", "), Integration: d.Name,
				Rule: "<email> is required (integration.xsd) but no file declares it"})
			continue
		}
		out = append(out, d.Integration)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// addFiles checks each file with parse and merges the declarations of the
// files that pass; it returns the errors of those that do not, one per
// file.
func (m *merger) addFiles(files []File, parse func(*checker, File) []Integration) []error {
	var errs []error
	for _, f := range files {
		c := checker{file: f.Name}
		decls := parse(&c, f)
		if err := c.err(); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, d := range decls {
			m.add(d, f.Name)
		}
	}
	return errs
}

// root reads f and checks that its root element is <want>, without
// attributes or text; it returns nil when there is nothing more to check.
func (c *checker) root(f File, want string) *elem {
	root, err := readTree(f)
	if err != nil {
		c.errs = append(c.errs, err)
		return nil
	}
	if !isLocal(root, want) {
		c.fail(root.line, "", "root element is %s, want <%s>", qname(root.name), want)
		return nil
	}
	c.checkAttrs(root, "")
	c.checkElementOnly(root, "")
	return root
}

// consolidated checks one integration.xml file and returns its
// declarations.
func (c *checker) consolidated(f File) []Integration {
	root := c.root(f, "config")
	if root == nil {
		return nil
	}
	var out []Integration
	for _, e := range root.kids {
		if !isLocal(e, "integration") {
			c.fail(e.line, "", "element %s is not allowed in <config>, want <integration>", qname(e.name))
			continue
		}
		name, ok := c.checkName(e)
		c.checkAttrs(e, name, "name")
		c.checkElementOnly(e, name)
		d := Integration{Name: name}
		seen := make(map[string]bool)
		for _, k := range e.kids {
			switch {
			case !isLocal(k, "email") && !isLocal(k, "endpoint_url") && !isLocal(k, "identity_link_url") && !isLocal(k, "resources"):
				c.fail(k.line, name, "element %s is not allowed in <integration>, want <email>, <endpoint_url>, <identity_link_url> or <resources>", qname(k.name))
				continue
			case seen[k.name.Local]:
				c.fail(k.line, name, "<%s> appears more than once", k.name.Local)
				continue
			}
			seen[k.name.Local] = true
			switch k.name.Local {
			case "email":
				d.Email = c.checkEmail(k, name)
			case "endpoint_url":
				d.Endpoint = c.checkURL(k, name)
			case "identity_link_url":
				d.IdentityLinkURL = c.checkURL(k, name)
			case "resources":
				d.Resources = c.checkResources(k, name)
			}
		}
		if ok {
			out = append(out, d)
		}
	}
	if len(root.kids) == 0 {
		c.fail(root.line, "", "<config> holds no <integration>")
	}
	return out
}

// ParseLegacy parses the legacy pair (docs/magento-behaviour.md §12.1): etc/integration/config.xml
// files, which declare the integrations, and etc/integration/api.xml files,
// which grant them resources. Each kind is merged by integration name in
// the order given, as [ParseConsolidated] merges; api.xml resources are
// merged by name.
//
// config.xml files are checked against config.xsd: root <integrations>
// with one or more <integration name="…">, each holding, in this order,
// <email> (required), <endpoint_url> and <identity_link_url> (optional),
// with the types of [ParseConsolidated]. api.xml files are checked against
// api.xsd: root <integrations> with one or more <integration name="…">,
// each holding exactly one <resources> with one or more <resource
// name="…"/>.
//
// The result has one Integration per config.xml integration, in
// order of first appearance, with the resources api.xml grants it (none
// when api.xml does not name it). An api.xml integration that no
// config.xml declares is ignored, as Magento never reads it. Errors,
// limits and concurrency are as for [ParseConsolidated].
func ParseLegacy(config, api []File) ([]Integration, error) {
	var cm, am merger
	errs := append(cm.addFiles(config, (*checker).legacyConfig), am.addFiles(api, (*checker).legacyAPI)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var out []Integration
	for _, d := range cm.order {
		in := d.Integration
		if a, ok := am.byName[in.Name]; ok {
			in.Resources = a.Resources
		}
		out = append(out, in)
	}
	return out, nil
}

// legacySequence is the order of config.xsd's integrationType.
var legacySequence = [...]string{"email", "endpoint_url", "identity_link_url"}

// legacyConfig checks one config.xml file and returns its declarations.
func (c *checker) legacyConfig(f File) []Integration {
	return c.legacyDecls(f, func(e *elem, name string, d *Integration) {
		next := 0 // position in legacySequence of the next allowed element
		for _, k := range e.kids {
			i := -1
			if k.name.Space == "" {
				i = slices.Index(legacySequence[:], k.name.Local)
			}
			switch {
			case i < 0:
				c.fail(k.line, name, "element %s is not allowed in <integration>, want <email>, <endpoint_url> or <identity_link_url>", qname(k.name))
				continue
			case i < next:
				c.fail(k.line, name, "<%s> is out of order or repeated: the order is <email>, <endpoint_url>, <identity_link_url>, each once", k.name.Local)
				continue
			}
			next = i + 1
			switch i {
			case 0:
				d.Email = c.checkEmail(k, name)
			case 1:
				d.Endpoint = c.checkURL(k, name)
			case 2:
				d.IdentityLinkURL = c.checkURL(k, name)
			}
		}
		if !slices.ContainsFunc(e.kids, func(k *elem) bool { return isLocal(k, "email") }) {
			c.fail(e.line, name, "<email> is required")
		}
	})
}

// legacyAPI checks one api.xml file and returns its declarations.
func (c *checker) legacyAPI(f File) []Integration {
	return c.legacyDecls(f, func(e *elem, name string, d *Integration) {
		found := false
		for _, k := range e.kids {
			switch {
			case !isLocal(k, "resources"):
				c.fail(k.line, name, "element %s is not allowed in <integration>, want <resources>", qname(k.name))
			case found:
				c.fail(k.line, name, "<resources> appears more than once")
			default:
				found = true
				d.Resources = c.checkResources(k, name)
			}
		}
		if !found {
			c.fail(e.line, name, "<resources> is required")
		}
	})
}

// legacyDecls checks what config.xml and api.xml share, the root and each
// <integration>'s name attribute and content model, and returns the
// declarations fill completes from each one's children; a declaration
// whose name is invalid is checked but not returned.
func (c *checker) legacyDecls(f File, fill func(e *elem, name string, d *Integration)) []Integration {
	root := c.legacyRoot(f)
	if root == nil {
		return nil
	}
	var out []Integration
	for _, e := range c.legacyIntegrations(root) {
		name, ok := c.checkName(e)
		c.checkAttrs(e, name, "name")
		c.checkElementOnly(e, name)
		d := Integration{Name: name}
		fill(e, name, &d)
		if ok {
			out = append(out, d)
		}
	}
	return out
}

// legacyRoot reads f and checks its root, <integrations>; it returns nil
// when there is nothing more to check.
func (c *checker) legacyRoot(f File) *elem {
	root := c.root(f, "integrations")
	if root == nil {
		return nil
	}
	if len(root.kids) == 0 {
		c.fail(root.line, "", "<integrations> holds no <integration>")
	}
	return root
}

// legacyIntegrations returns the <integration> children of root and
// reports the others.
func (c *checker) legacyIntegrations(root *elem) []*elem {
	var out []*elem
	for _, e := range root.kids {
		if !isLocal(e, "integration") {
			c.fail(e.line, "", "element %s is not allowed in <integrations>, want <integration>", qname(e.name))
			continue
		}
		out = append(out, e)
	}
	return out
}
