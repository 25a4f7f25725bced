package emulator

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/webapi/route"
)

// maxExtensionFile bounds one webapi.xml or acl.xml file.
const maxExtensionFile = 4 << 20

// Extensions are the REST routes and ACL resources of third-party Magento
// modules, read from their etc/webapi.xml and etc/acl.xml: the emulator
// serves, ACL-checks and stubs their routes as it does the core ones.
type Extensions struct {
	// Routes are the modules' routes, in file and then document order.
	Routes []route.Route
	// Tree is Magento 2.4.7's ACL tree with the modules' resources merged.
	Tree *acl.Tree
}

// LoadExtensions reads Magento modules from fsys: every */etc/acl.xml,
// merged into the embedded 2.4.7 tree in module-name order, and every
// */etc/webapi.xml, in Magento's own format:
//
//	<routes>
//	  <route url="/V1/acme/items/:id" method="GET" secure="false">
//	    <service class="Acme\Sync\Api\ItemRepositoryInterface" method="get"/>
//	    <resources><resource ref="Acme_Sync::items"/></resources>
//	    <data><parameter name="customerId" force="true">%customer_id%</parameter></data>
//	  </route>
//	</routes>
//
// An error names the file and line: malformed XML, a route without url,
// method or resources, a method other than GET, POST, PUT or DELETE, a
// resource that is neither in the merged tree nor "anonymous" or "self",
// and a route that a core route or another module already declares.
func LoadExtensions(fsys fs.FS) (*Extensions, error) {
	aclNames, err := fs.Glob(fsys, "*/etc/acl.xml")
	if err != nil {
		return nil, fmt.Errorf("emulator: extensions: %w", err)
	}
	slices.Sort(aclNames)
	var files []acl.File
	for _, name := range aclNames {
		data, err := readLimited(fsys, name, maxExtensionFile)
		if err != nil {
			return nil, err
		}
		files = append(files, acl.File{Name: name, Data: data})
	}
	tree, err := acl.Extend(acl.Default(), files...)
	if err != nil {
		return nil, fmt.Errorf("emulator: extensions: %w", err)
	}
	ext := &Extensions{Tree: tree}

	taken := map[string]string{}
	for _, r := range route.Default() {
		taken[r.Method+" "+r.URL] = "the core route table"
	}
	for _, r := range ControlRoutes() {
		taken[r.Method+" "+r.URL] = "the emulator's control routes"
	}
	routeNames, err := fs.Glob(fsys, "*/etc/webapi.xml")
	if err != nil {
		return nil, fmt.Errorf("emulator: extensions: %w", err)
	}
	slices.Sort(routeNames)
	for _, name := range routeNames {
		data, err := readLimited(fsys, name, maxExtensionFile)
		if err != nil {
			return nil, err
		}
		routes, err := parseWebapiXML(name, data, tree)
		if err != nil {
			return nil, err
		}
		for _, r := range routes {
			k := r.route.Method + " " + r.route.URL
			if where, dup := taken[k]; dup {
				return nil, fmt.Errorf("%s:%d: route %s is already declared in %s", name, r.line, k, where)
			}
			taken[k] = fmt.Sprintf("%s:%d", name, r.line)
			ext.Routes = append(ext.Routes, r.route)
		}
	}
	return ext, nil
}

// xmlRoute is a <route> of webapi.xml.
type xmlRoute struct {
	URL     string `xml:"url,attr"`
	Method  string `xml:"method,attr"`
	Secure  string `xml:"secure,attr"`
	Service struct {
		Class  string `xml:"class,attr"`
		Method string `xml:"method,attr"`
	} `xml:"service"`
	Resources []struct {
		Ref string `xml:"ref,attr"`
	} `xml:"resources>resource"`
	Parameters []struct {
		Name  string `xml:"name,attr"`
		Force string `xml:"force,attr"`
		Value string `xml:",chardata"`
	} `xml:"data>parameter"`
}

// lineRoute is a parsed route with the line it starts on.
type lineRoute struct {
	route route.Route
	line  int
}

// parseWebapiXML reads the routes of one webapi.xml, checking each against
// tree.
func parseWebapiXML(name string, data []byte, tree *acl.Tree) ([]lineRoute, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var out []lineRoute
	sawRoot := false
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case !sawRoot && start.Name.Local == "routes":
			sawRoot = true
			continue
		case !sawRoot:
			return nil, fmt.Errorf("%s:%d: the root element is <%s>, want <routes>", name, line, start.Name.Local)
		case start.Name.Local != "route":
			return nil, fmt.Errorf("%s:%d: unexpected <%s> in <routes>", name, line, start.Name.Local)
		}
		line, _ = d.InputPos()
		var x xmlRoute
		if err := d.DecodeElement(&x, &start); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		r, err := x.route(tree)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		out = append(out, lineRoute{r, line})
	}
	if !sawRoot {
		return nil, fmt.Errorf("%s: no <routes> element", name)
	}
	return out, nil
}

// route checks x and converts it.
func (x *xmlRoute) route(tree *acl.Tree) (route.Route, error) {
	method := strings.ToUpper(x.Method)
	switch {
	case x.URL == "" || !strings.HasPrefix(x.URL, "/"):
		return route.Route{}, fmt.Errorf("route url %q: want a path such as /V1/acme/items/:id", x.URL)
	case method != "GET" && method != "POST" && method != "PUT" && method != "DELETE":
		return route.Route{}, fmt.Errorf("route %s: method %q: want GET, POST, PUT or DELETE", x.URL, x.Method)
	case len(x.Resources) == 0:
		return route.Route{}, fmt.Errorf("route %s %s: no <resources>", method, x.URL)
	}
	r := route.Route{Method: method, URL: x.URL, Secure: x.Secure == "true"}
	if x.Service.Class != "" {
		r.Service = x.Service.Class + "::" + x.Service.Method
	}
	for _, res := range x.Resources {
		ref := res.Ref
		if _, known := tree.Resource(ref); !known && ref != acl.Anonymous && ref != acl.Self {
			return route.Route{}, fmt.Errorf("route %s %s: resource %q is in no acl.xml", method, x.URL, ref)
		}
		r.Resources = append(r.Resources, ref)
	}
	for _, p := range x.Parameters {
		if p.Force == "true" || p.Force == "1" {
			if r.ForcedParameters == nil {
				r.ForcedParameters = map[string]string{}
			}
			r.ForcedParameters[p.Name] = strings.TrimSpace(p.Value)
		}
	}
	return r, nil
}
