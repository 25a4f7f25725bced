package admin_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integration"
)

func TestSignInAndSessionLifetime(t *testing.T) {
	h := newHarness(t)
	if r := h.get("admin/admin/integration/"); r.status != http.StatusOK || !strings.Contains(r.body, `id="login-form"`) {
		t.Fatalf("grid without a session = %d, want the sign-in page", r.status)
	}
	// The sign-in form's key is checked.
	r := h.post("admin/", url.Values{"form_key": {"wrongwrongwrong1"}, "login[username]": {"admin"}, "login[password]": {"secret"}})
	if !strings.Contains(r.body, admin.MsgInvalidFormKey) {
		t.Fatalf("sign-in with a wrong form key: %d %s", r.status, r.body)
	}
	if r := h.signIn(h.client, "secret"); r.status != http.StatusSeeOther || r.location != h.base+"admin/" {
		t.Fatalf("sign-in = %d %q", r.status, r.location)
	}
	var cookie *http.Cookie
	for _, c := range h.signInCookies() {
		if c.Name == "admin" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.MaxAge != 900 || cookie.Path != "/admin" {
		t.Fatalf("session cookie = %+v, want HttpOnly SameSite=Strict Max-Age=900 Path=/admin", cookie)
	}
	// The session is prolonged by every request and ends 900 s after the
	// last one.
	h.clock.Advance(899 * time.Second)
	if r := h.get("admin/admin/integration/"); !strings.Contains(r.body, `id="integrationGrid"`) {
		t.Fatal("session ended before 900 s")
	}
	h.clock.Advance(899 * time.Second)
	if r := h.get("admin/admin/integration/"); !strings.Contains(r.body, `id="integrationGrid"`) {
		t.Fatal("session not prolonged by the last request")
	}
	h.clock.Advance(901 * time.Second)
	if r := h.get("admin/admin/integration/"); !strings.Contains(r.body, `id="login-form"`) {
		t.Fatal("session alive after 901 s idle")
	}
	// admin/security/session_lifetime applies.
	h.settings.Set(map[string]string{admin.PathSessionLifetime: "60"})
	h.signIn(h.client, "secret")
	h.clock.Advance(61 * time.Second)
	if r := h.get("admin/admin/integration/"); !strings.Contains(r.body, `id="login-form"`) {
		t.Fatal("session alive after 61 s with session_lifetime 60")
	}
	// An XHR without a session gets Magento's JSON.
	if r := h.xhr("GET", "admin/admin/integration/permissionsDialog/id/1/reauthorize/0/", nil); !strings.Contains(r.body, `"ajaxExpired":1`) {
		t.Fatalf("XHR without a session = %s", r.body)
	}
}

// signInCookies signs a fresh client in and returns the cookies set.
func (h *harness) signInCookies() []*http.Cookie {
	h.t.Helper()
	c := h.newClient()
	page := h.do(c, "GET", "admin/", nil, nil)
	req, _ := http.NewRequest("POST", h.base+"admin/", strings.NewReader(url.Values{"form_key": {formKeyOf(page.body)}, "login[username]": {"admin"}, "login[password]": {"secret"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	u, _ := url.Parse(h.base + "admin/")
	for _, ck := range c.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Cookies()
}

func TestSignInLockout(t *testing.T) {
	h := newHarness(t)
	for i := range 6 {
		if r := h.signIn(h.client, "wrong"); !strings.Contains(r.body, html.EscapeString(admin.MsgSignInFailed)) {
			t.Fatalf("failure %d: %d %s", i+1, r.status, r.body)
		}
	}
	if r := h.signIn(h.client, "secret"); r.status == http.StatusSeeOther {
		t.Fatal("signed in while locked out")
	}
	h.clock.Advance(30*time.Minute + time.Second)
	if r := h.signIn(h.client, "secret"); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in after the lockout = %d", r.status)
	}
}

func TestPasswordConfirmationLockout(t *testing.T) {
	h := newHarness(t)
	h.signIn(h.client, "secret")
	key := h.key()
	save := url.Values{"form_key": {key}, "name": {"ERP"}, "current_password": {"wrong"}}
	for i := range 6 {
		r := h.post("admin/admin/integration/save/", save)
		if r.status != http.StatusSeeOther || r.location != h.base+"admin/admin/integration/new/" {
			t.Fatalf("failure %d = %d %q", i+1, r.status, r.location)
		}
		if m := h.messages("admin/admin/integration/new/", "error"); !slices.Equal(m, []string{admin.MsgPasswordInvalid}) {
			t.Fatalf("failure %d messages = %q", i+1, m)
		}
	}
	save.Set("current_password", "secret")
	r := h.post("admin/admin/integration/save/", save)
	if r.status != http.StatusSeeOther || r.location != h.base+"admin/" {
		t.Fatalf("save while locked = %d %q, want the sign-out redirect", r.status, r.location)
	}
	if !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), "\n"), "loggedOutReasonCode=10") {
		t.Fatalf("no loggedOutReasonCode cookie: %q", r.header.Values("Set-Cookie"))
	}
	page := h.get("admin/")
	if !strings.Contains(page.body, admin.MsgAccountDisabled) || !strings.Contains(page.body, `id="login-form"`) {
		t.Fatalf("sign-in page after the lockout:\n%s", page.body)
	}
	if list, _ := h.svc.List(t.Context()); len(list) != 0 {
		t.Fatalf("saved while locked: %v", list)
	}
}

func TestFormMessages(t *testing.T) {
	h := newHarness(t)
	h.signIn(h.client, "secret")
	key := h.key()
	existing, err := h.svc.Create(t.Context(), integration.Integration{Name: "Existing"})
	if err != nil {
		t.Fatal(err)
	}
	grid := h.base + "admin/admin/integration/"
	tests := []struct {
		name     string
		form     url.Values
		location string
		typ, msg string
		restored string // a value the form shows again, if any
	}{
		{"saved", url.Values{"name": {"New One"}, "current_password": {"secret"}}, grid, "success", "The integration &#39;New One&#39; has been saved.", ""},
		{"duplicate name", url.Values{"name": {"Existing"}, "email": {"kept@example.com"}, "current_password": {"secret"}}, grid + "new/", "error", "The integration with name &#34;Existing&#34; exists.", "kept@example.com"},
		{"invalid identity link", url.Values{"name": {"Link"}, "email": {"lost@example.com"}, "identity_link_url": {"javascript:alert(1)"}, "current_password": {"secret"}}, grid + "new/", "error", integration.MsgInvalidLink, ""},
		{"unknown id", url.Values{"id": {"999"}, "name": {"X"}, "current_password": {"secret"}}, grid, "error", "The integration with ID &#34;999&#34; doesn&#39;t exist.", ""},
		{"wrong password on edit", url.Values{"id": {fmt.Sprint(existing.ID)}, "name": {"Renamed"}, "current_password": {"nope"}}, grid + fmt.Sprintf("edit/id/%d/", existing.ID), "error", html.EscapeString(admin.MsgPasswordInvalid), "Renamed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("form_key", key)
			r := h.post("admin/admin/integration/save/", tt.form)
			if r.status != http.StatusSeeOther || r.location != tt.location {
				t.Fatalf("save = %d %q, want 303 %q", r.status, r.location, tt.location)
			}
			page := h.get(strings.TrimPrefix(r.location, h.base)).body
			if !strings.Contains(page, `<div data-ui-id="messages-message-`+tt.typ+`">`+tt.msg+`</div>`) {
				t.Fatalf("page at %s lacks %s %q:\n%s", r.location, tt.typ, tt.msg, page)
			}
			if tt.restored != "" && !strings.Contains(page, `value="`+tt.restored+`"`) {
				t.Fatalf("the form does not show %q again", tt.restored)
			}
			if tt.name == "invalid identity link" && strings.Contains(page, "lost@example.com") {
				t.Fatal("the form was restored after Invalid Identity Link URL, Magento does not")
			}
		})
	}
}

func TestActionMessages(t *testing.T) {
	h := newHarness(t)
	h.signIn(h.client, "secret")
	key := h.key()
	in, err := h.svc.Create(t.Context(), integration.Integration{Name: "Refusing", Endpoint: "http://127.0.0.1:1/endpoint", IdentityLinkURL: "https://example.com/link"})
	if err != nil {
		t.Fatal(err)
	}
	grid := h.base + "admin/admin/integration/"
	tests := []struct {
		name, method, path string
		form               url.Values
		xhr                bool
		wantJSON           string // for an XHR: a field of the JSON answer
		typ, msg           string // then shown on the grid
	}{
		{"delete without id", "POST", "admin/admin/integration/delete/", url.Values{"form_key": {key}}, false, "", "error", integration.MsgInvalidID},
		{"delete unknown", "POST", "admin/admin/integration/delete/id/77/", url.Values{"form_key": {key}}, false, "", "error", "The integration with ID &#34;77&#34; doesn&#39;t exist."},
		{"permissions without id", "GET", "admin/admin/integration/permissionsDialog/id/x/reauthorize/0/", nil, true, `"_redirect":"` + grid + `"`, "error", integration.MsgInvalidID},
		{"tokens without form key", "GET", fmt.Sprintf("admin/admin/integration/tokensDialog/id/%d/reauthorize/0/", in.ID), nil, true, `"message":"` + admin.MsgInvalidSecretKey + `"`, "", ""},
		{"post to the endpoint fails", "GET", fmt.Sprintf("admin/admin/integration/tokensExchange/id/%d/reauthorize/0/?form_key=%s", in.ID, key), nil, true, `"_redirect":"` + grid + `"`, "error", integration.MsgPostFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			if tt.xhr {
				r = h.xhr(tt.method, tt.path, tt.form)
				if !strings.Contains(r.body, tt.wantJSON) || !json.Valid([]byte(r.body)) {
					t.Fatalf("%s %s = %s, want %s", tt.method, tt.path, r.body, tt.wantJSON)
				}
			} else {
				r = h.do(h.client, tt.method, tt.path, tt.form, nil)
				if r.location != grid {
					t.Fatalf("%s %s = %d %q, want the grid", tt.method, tt.path, r.status, r.location)
				}
			}
			if tt.typ == "" {
				return
			}
			if m := h.messages("admin/admin/integration/", tt.typ); !slices.Contains(m, tt.msg) {
				t.Fatalf("grid %s messages = %q, want %q", tt.typ, m, tt.msg)
			}
		})
	}
	if got, _ := h.svc.Get(t.Context(), in.ID); got.Status != integration.StatusInactive {
		t.Fatalf("status after a refused activation = %v", got.Status)
	}
}

func TestJournalHasNoSecrets(t *testing.T) {
	h := newHarness(t)
	h.signIn(h.client, "secret")
	h.post("admin/admin/integration/save/", url.Values{"form_key": {h.key()}, "name": {"J"}, "current_password": {"secret"}})
	h.mu.Lock()
	defer h.mu.Unlock()
	var actions []string
	for _, ev := range h.events {
		actions = append(actions, ev.Action)
		b, _ := json.Marshal(ev)
		if strings.Contains(string(b), "secret") || strings.Contains(strings.ToLower(string(b)), "form_key") {
			t.Fatalf("journal event with a secret: %s", b)
		}
	}
	if !slices.Contains(actions, "auth/login") || !slices.Contains(actions, "integration/save") {
		t.Fatalf("journaled actions = %v", actions)
	}
}

func TestEditShowsIntegrationDetails(t *testing.T) {
	h := newHarness(t)
	h.signIn(h.client, "secret")
	in, err := h.svc.Create(t.Context(), integration.Integration{Name: "Details", Resources: []string{"Magento_Catalog::catalog"}})
	if err != nil {
		t.Fatal(err)
	}
	page := h.get(fmt.Sprintf("admin/admin/integration/edit/id/%d/", in.ID)).body
	creds, _ := h.svc.Credentials(t.Context(), in.ID)
	if !strings.Contains(page, `id="integration_properties_consumer_key" name="consumer_key" value="`+creds.ConsumerKey+`"`) ||
		!strings.Contains(page, `id="integration_properties_token" name="token" value=""`) {
		t.Fatal("edit before activation: want the consumer key and no access token")
	}
	if !strings.Contains(page, `<li id="Magento_Catalog::catalog" data-id="Magento_Catalog::catalog" class="jstree-node jstree-open jstree-checked"`) {
		t.Fatal("the stored resource is not checked in the tree")
	}
	if !strings.Contains(page, `<title>Edit &#34;Details&#34; Integration / Magento Admin</title>`) {
		t.Fatal("no Edit title")
	}
	act, err := h.svc.Activate(t.Context(), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	page = h.get(fmt.Sprintf("admin/admin/integration/edit/id/%d/", in.ID)).body
	for name, v := range map[string]string{"consumer_key": act.Credentials.ConsumerKey, "consumer_secret": act.Credentials.ConsumerSecret,
		"token": act.Credentials.AccessToken, "token_secret": act.Credentials.AccessTokenSecret} {
		if !strings.Contains(page, `id="integration_properties_`+name+`" name="`+name+`" value="`+v+`"`) {
			t.Fatalf("edit after activation lacks %s", name)
		}
	}
	if r := h.get("admin/admin/integration/edit/id/0/"); r.location != h.base+"admin/admin/integration/" {
		t.Fatalf("edit without id = %d %q", r.status, r.location)
	}
	if r := h.get("admin/admin/integration/nosuchaction/"); r.status != http.StatusNotFound {
		t.Fatalf("unknown action = %d", r.status)
	}
	if r := h.get("admin/admin/integration/save/"); r.status != http.StatusNotFound {
		t.Fatalf("GET save = %d, want 404 (POST only)", r.status)
	}
}
