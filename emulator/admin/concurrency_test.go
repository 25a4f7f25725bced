package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/magekit/magekit/integration/xmlconfig"
)

// TestConcurrentSessions signs many admins in at once, each saving and
// reading the grid: every save lands once and every session keeps its own
// form key and messages (run with -race).
func TestConcurrentSessions(t *testing.T) {
	h := newHarness(t)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := h.newClient()
			get := func(path string) (string, error) {
				resp, err := c.Get(h.base + path)
				if err != nil {
					return "", err
				}
				defer resp.Body.Close()
				var b strings.Builder
				_, err = fmt.Fprint(&b, readAll(resp))
				return b.String(), err
			}
			page, err := get("admin/")
			if err != nil {
				errs <- err
				return
			}
			resp, err := c.PostForm(h.base+"admin/", url.Values{"form_key": {formKeyOf(page)}, "login[username]": {"admin"}, "login[password]": {"secret"}})
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			grid, err := get("admin/admin/integration/")
			if err != nil {
				errs <- err
				return
			}
			name := fmt.Sprintf("Concurrent %02d", i)
			resp, err = c.PostForm(h.base+"admin/admin/integration/save/", url.Values{"form_key": {formKeyOf(grid)}, "name": {name}, "current_password": {"secret"}})
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				errs <- fmt.Errorf("save %s = %d", name, resp.StatusCode)
				return
			}
			grid, err = get("admin/admin/integration/")
			if err != nil {
				errs <- err
				return
			}
			if want := "The integration &#39;" + name + "&#39; has been saved."; !strings.Contains(grid, want) {
				errs <- fmt.Errorf("session %d does not see its own message", i)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := h.svc.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n {
		t.Fatalf("%d integrations saved, want %d", len(list), n)
	}
}

func readAll(resp *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		k, err := resp.Body.Read(buf)
		b.Write(buf[:k])
		if err != nil {
			return b.String()
		}
	}
}

// TestResetSystemMessage: while a config-file integration has status
// Reset, every page shows Magento's system message, and its row offers
// Activate that reauthorizes.
func TestResetSystemMessage(t *testing.T) {
	h := newHarness(t)
	h.signIn(h.client, "secret")
	cfg := func(email string) []xmlconfig.Integration {
		list, err := xmlconfig.ParseConsolidated(xmlconfig.File{Name: "integration.xml", Data: []byte(`<config><integration name="Feed"><email>` + email + `</email></integration></config>`)})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	if _, err := h.svc.Provision(t.Context(), cfg("a@example.com")); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.get("admin/admin/integration/").body, "have been reset") {
		t.Fatal("system message before any reset")
	}
	if _, err := h.svc.Provision(t.Context(), cfg("b@example.com")); err != nil {
		t.Fatal(err)
	}
	want := `One or more <a href="` + h.base + `admin/admin/integration/">integrations</a> have been reset because of a change to their xml configs.`
	for _, p := range []string{"admin/admin/integration/", "admin/admin/system_config/edit/section/oauth/"} {
		if body := h.get(p).body; !strings.Contains(body, want) {
			t.Fatalf("%s lacks the system message", p)
		}
	}
	body := h.get("admin/admin/integration/").body
	if !strings.Contains(body, `<td class="col-status">Reset</td>`) || !strings.Contains(body, `data-row-dialog="permissions" data-row-is-reauthorize="1"`) || !strings.Contains(body, `title="Activate"`) {
		t.Fatalf("the Reset row:\n%s", body)
	}
}
