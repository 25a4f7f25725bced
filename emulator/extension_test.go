package emulator_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
)

func TestExtensions(t *testing.T) {
	ext, err := emulator.LoadExtensions(os.DirFS("testdata/extensions"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ext.Routes) != 3 {
		t.Fatalf("routes %+v, want 3", ext.Routes)
	}
	h := newEmuHarness(t, func(c *emulator.Config) { c.Extensions = ext })
	admin := "Authorization: Bearer " + h.adminToken()
	putFixtures(t, h, admin, `{"method":"GET","url":"/V1/acme/items/:id","match":{"path":{"id":"7"}},"body":{"id":7}}`)

	// An integration granted the extension's resource, one granted another.
	if _, err := h.emu.Service().CreateWithCredentials(t.Context(), integration.Integration{Name: "Sync", Resources: []string{"Acme_Sync::items"}}, emuCreds); err != nil {
		t.Fatal(err)
	}
	if r := h.do("GET", "/rest/V1/acme/items/7", "", admin); r.status != 200 || r.body != `{"id":7}` {
		t.Errorf("admin GET acme/items/7 = %d %s", r.status, r.body)
	}
	signed := emuSigned(emuCreds)
	resp, err := signed.Get(h.srv.URL + "/rest/V1/acme/items/7")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("integration with Acme_Sync::items: GET acme/items/7 = %d, want 200", resp.StatusCode)
	}
	if r := h.do("GET", "/rest/V1/acme/items/7", ""); r.status != 401 || !strings.Contains(r.body, "Acme_Sync::items") {
		t.Errorf("guest GET acme/items/7 = %d %s, want 401 naming the resource", r.status, r.body)
	}
	if r := h.do("GET", "/rest/V1/acme/ping", ""); r.status != 200 {
		t.Errorf("anonymous extension route = %d %s", r.status, r.body)
	}
	if _, ok := h.emu.Service().Tree().Resource("Acme_Sync::items"); !ok {
		t.Error("the service's tree lacks the extension's resource")
	}
}

func TestExtensionErrors(t *testing.T) {
	acl := `<config><acl><resources><resource id="Magento_Backend::admin"><resource id="Acme::x" title="X"/></resource></resources></acl></config>`
	route := func(body string) string {
		return "<?xml version=\"1.0\"?>\n<routes>\n" + body + "\n</routes>"
	}
	for name, tc := range map[string]struct{ webapi, want string }{
		"malformed":        {"<routes>\n<route url=\"/V1/x\" method=\"GET\">\n", "Acme_X/etc/webapi.xml:"},
		"no resources":     {route(`<route url="/V1/acme/x" method="GET"><service class="A" method="b"/></route>`), "Acme_X/etc/webapi.xml:3: route GET /V1/acme/x: no <resources>"},
		"bad method":       {route(`<route url="/V1/acme/x" method="PATCH"><resources><resource ref="Acme::x"/></resources></route>`), ":3: route /V1/acme/x: method \"PATCH\""},
		"unknown resource": {route(`<route url="/V1/acme/x" method="GET"><resources><resource ref="Acme::nope"/></resources></route>`), `:3: route GET /V1/acme/x: resource "Acme::nope" is in no acl.xml`},
		"core duplicate":   {route(`<route url="/V1/products" method="GET"><resources><resource ref="Acme::x"/></resources></route>`), ":3: route GET /V1/products is already declared in the core route table"},
		"wrong root":       {"<config/>", "the root element is <config>"},
		"bad url":          {route(`<route url="V1/x" method="GET"><resources><resource ref="Acme::x"/></resources></route>`), "route url"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := emulator.LoadExtensions(fstest.MapFS{
				"Acme_X/etc/acl.xml":    {Data: []byte(acl)},
				"Acme_X/etc/webapi.xml": {Data: []byte(tc.webapi)},
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadExtensions = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if _, err := emulator.LoadExtensions(fstest.MapFS{"Bad/etc/acl.xml": {Data: []byte("<config><acl>")}}); err == nil || !strings.Contains(err.Error(), "Bad/etc/acl.xml") {
		t.Errorf("malformed acl.xml: %v", err)
	}
}

// FuzzLoadExtensions feeds the webapi.xml reader arbitrary documents: no
// panic, and an accepted route is one the emulator can serve.
func FuzzLoadExtensions(f *testing.F) {
	seed, _ := os.ReadFile("testdata/extensions/Acme_Sync/etc/webapi.xml")
	f.Add(seed)
	f.Add([]byte(`<routes><route url="/V1/a" method="GET"><resources><resource ref="anonymous"/></resources></route></routes>`))
	f.Add([]byte(`<routes><route/></routes>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ext, err := emulator.LoadExtensions(fstest.MapFS{"M/etc/webapi.xml": {Data: data}})
		if err != nil {
			return
		}
		if _, err := emulator.New(t.Context(), emulator.Config{Extensions: ext, PasswordIterations: 1000}); err != nil {
			t.Fatalf("an accepted webapi.xml does not start: %v\n%s", err, data)
		}
	})
}
