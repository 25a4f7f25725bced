package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/webapi"
)

func TestBrowserDelete(t *testing.T) {
	srv := integrationtest.NewServer(t)
	in := srv.CreateIntegration(t, integration.Integration{Name: "Old Connector"})
	ctx := newTab(t)
	signIn(t, ctx, srv)

	clickRow(t, ctx, "Old Connector", "button#delete")
	waitJS(t, ctx, "the confirmation", `document.querySelector("aside.modal-popup.confirm .modal-title").textContent === "Are you sure?" &&
		document.querySelector("aside.modal-popup.confirm .modal-content").textContent === "Are you sure you want to delete this integration? You can't undo this action."`)
	shot(t, ctx, "dialog-delete")
	run(t, ctx, chromedp.Click("aside.modal-popup.confirm .action-dismiss", chromedp.ByQuery))
	waitJS(t, ctx, "the confirmation closed", `!document.querySelector("aside.modal-popup")`)
	if status, _ := srv.AdminDo(t, "GET", fmt.Sprintf("/rest/V1/integrations/%d", in.ID), ""); status != http.StatusOK {
		t.Fatalf("after Cancel the integration is gone: %d", status)
	}

	clickRow(t, ctx, "Old Connector", "button#delete")
	run(t, ctx, chromedp.WaitVisible("aside.modal-popup.confirm .action-primary.action-accept", chromedp.ByQuery),
		chromedp.Click("aside.modal-popup.confirm .action-primary.action-accept", chromedp.ByQuery))
	waitMessage(t, ctx, "success", "The integration 'Old Connector' has been deleted.")
	if status, _ := srv.AdminDo(t, "GET", fmt.Sprintf("/rest/V1/integrations/%d", in.ID), ""); status != http.StatusNotFound {
		t.Fatalf("after OK GET the integration = %d, want 404", status)
	}
	waitJS(t, ctx, "the empty grid", `document.querySelector("#integrationGrid .empty-text").textContent === "We couldn't find any records."`)
}

// postForm submits a form POST from the page, as a user's browser would,
// with the page's form key unless formKey says otherwise.
func postForm(t *testing.T, ctx context.Context, url string, fields map[string]string) {
	t.Helper()
	b, _ := json.Marshal(fields)
	markPage(t, ctx)
	run(t, ctx, chromedp.Evaluate(`(function(){var f=document.createElement("form"); f.method="post"; f.action=`+jsString(url)+`;
		var v=`+string(b)+`; Object.keys(v).forEach(function(k){var i=document.createElement("input"); i.type="hidden"; i.name=k; i.value=v[k]; f.appendChild(i)});
		document.body.appendChild(f); f.submit()})()`, nil))
	waitLoad(t, ctx)
}

func formKey(t *testing.T, ctx context.Context) string {
	t.Helper()
	var key string
	run(t, ctx, chromedp.Evaluate(`document.body.getAttribute("data-form-key")`, &key))
	return key
}

func TestBrowserConfigIntegrationIsReadOnly(t *testing.T) {
	srv := integrationtest.NewServer(t)
	if _, err := srv.Emulator.Service().ProvisionDir(t.Context(), os.DirFS("../../examples/config")); err != nil {
		t.Fatal(err)
	}
	in := srv.Integration(t, "AcmeSync")
	ctx := newTab(t)
	signIn(t, ctx, srv)
	waitJS(t, ctx, "the disabled delete", rowJS("AcmeSync")+`.querySelector("button#delete").disabled && `+rowJS("AcmeSync")+
		`.querySelector("button#delete").title === "Uninstall the extension to remove this integration" && `+
		rowJS("AcmeSync")+`.querySelector("button#edit.action.info").title === "View"`)
	// Clicking the disabled button does nothing.
	run(t, ctx, chromedp.Evaluate(rowJS("AcmeSync")+`.querySelector("button#delete").click()`, nil))
	waitJS(t, ctx, "no confirmation", `!document.querySelector("aside.modal-popup")`)

	clickRow(t, ctx, "AcmeSync", "button#edit")
	waitJS(t, ctx, "the View page", `document.querySelector(".page-title").textContent === 'View "AcmeSync" Integration' &&
		document.querySelector("#integration_properties_name").disabled && document.querySelector("#integration_properties_identity_link_url").disabled &&
		!document.querySelector("#save") && !document.querySelector("#save-split-button") && document.querySelector("#back")`)
	run(t, ctx, chromedp.Click("#integration_edit_tabs_api_config_section", chromedp.ByQuery))
	waitJS(t, ctx, "the read-only tree", `document.querySelector('#integration_edit_tabs_api_config_section_content li[data-id="Magento_Sales::sales_order"]') &&
		!document.querySelector('#integration_edit_tabs_api_config_section_content input') && !document.querySelector('#integration_edit_tabs_api_config_section_content li[data-id="Magento_Customer::customer"]')`)

	// The server refuses what the page does not offer.
	key := formKey(t, ctx)
	postForm(t, ctx, srv.BaseURL+"admin/admin/integration/save/", map[string]string{
		"form_key": key, "id": fmt.Sprint(in.ID), "name": "Renamed", "current_password": "magento123"})
	waitMessage(t, ctx, "error", integration.MsgConfigEdit)
	postForm(t, ctx, srv.BaseURL+fmt.Sprintf("admin/admin/integration/delete/id/%d/", in.ID), map[string]string{"form_key": key})
	waitMessage(t, ctx, "error", "Uninstall the extension to remove integration 'AcmeSync'.")
	if got := srv.Integration(t, "AcmeSync"); got.Name != "AcmeSync" {
		t.Fatalf("the config integration changed: %+v", got)
	}
}

func TestBrowserGuestAccessSetting(t *testing.T) {
	srv := integrationtest.NewServer(t, integrationtest.WithFixture(webapi.Fixture{
		Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"items":[],"total_count":0}`),
	}))
	anonymous := func() int {
		resp, err := srv.Client().Get(srv.URL + "/rest/V1/products?searchCriteria[pageSize]=1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := anonymous(); s != http.StatusUnauthorized {
		t.Fatalf("anonymous GET /rest/V1/products before = %d, want 401", s)
	}
	ctx := newTab(t)
	signIn(t, ctx, srv)
	run(t, ctx, chromedp.Click(`a[href$="admin/system_config/edit/section/webapi/"]`, chromedp.ByQuery))
	waitJS(t, ctx, "the Web API section", `document.querySelector("#webapi_webapisecurity_allow_insecure") && document.querySelector("#webapi_webapisecurity-head").textContent === "Web API Security"`)
	setSelect(t, ctx, "#webapi_webapisecurity_allow_insecure", "1")
	shot(t, ctx, "config-webapi")
	clickAndLoad(t, ctx, "#save")
	waitMessage(t, ctx, "success", admin.MsgConfigSaved)
	if s := anonymous(); s != http.StatusOK {
		t.Fatalf("anonymous GET /rest/V1/products with guest access = %d, want 200", s)
	}
	status, body := srv.AdminDo(t, "GET", "/rest/V1/emulator/config", "")
	if status != http.StatusOK || !strings.Contains(string(body), `"webapi/webapisecurity/allow_insecure":"1"`) {
		t.Fatalf("GET /rest/V1/emulator/config = %d %s", status, body)
	}

	setSelect(t, ctx, "#webapi_webapisecurity_allow_insecure", "0")
	clickAndLoad(t, ctx, "#save")
	waitMessage(t, ctx, "success", admin.MsgConfigSaved)
	waitJS(t, ctx, "No selected", `document.querySelector("#webapi_webapisecurity_allow_insecure").value === "0"`)
	if s := anonymous(); s != http.StatusUnauthorized {
		t.Fatalf("anonymous GET /rest/V1/products after No = %d, want 401", s)
	}

	// The OAuth section writes the settings the OAuth provider reads.
	run(t, ctx, chromedp.Navigate(srv.BaseURL+"admin/admin/system_config/edit/section/oauth/"),
		chromedp.WaitVisible("#oauth_consumer_post_timeout", chromedp.ByQuery),
		chromedp.Click("#oauth_consumer_post_timeout_inherit", chromedp.ByQuery))
	run(t, ctx, fill("#oauth_consumer_post_timeout", "abc"))
	clickAndLoad(t, ctx, "#save")
	waitMessage(t, ctx, "error", "OAuth consumer credentials HTTP Post timeout: Please enter a number 0 or greater in this field.")
	run(t, ctx, chromedp.Click("#oauth_consumer_post_timeout_inherit", chromedp.ByQuery), fill("#oauth_consumer_post_timeout", "9"))
	clickAndLoad(t, ctx, "#save")
	waitMessage(t, ctx, "success", admin.MsgConfigSaved)
	if v, _ := srv.Emulator.Settings().Value("oauth/consumer/post_timeout"); v != "9" {
		t.Fatalf("post_timeout = %q, want 9", v)
	}
}

func TestBrowserEscapesNames(t *testing.T) {
	const name = `<img src=x onerror=alert(1)>`
	srv := integrationtest.NewServer(t)
	srv.CreateIntegration(t, integration.Integration{Name: name, Endpoint: "http://x.example/e"})
	ctx := newTab(t)
	var dialogs atomic.Int32
	chromedp.ListenTarget(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(true)) //nolint:errcheck
		}
	})
	signIn(t, ctx, srv)
	waitJS(t, ctx, "the name as text", rowJS(name)+` && !document.querySelector("#integrationGrid img")`)

	clickRow(t, ctx, name, "td.col-activate a")
	waitJS(t, ctx, "the dialog title as text", `document.querySelector("aside.modal-slide .modal-title") && document.querySelector("aside.modal-slide .modal-title").textContent === `+jsString(name)+` && !document.querySelector("aside img")`)
	run(t, ctx, chromedp.Click("aside.modal-slide .action-close", chromedp.ByQuery))

	clickRow(t, ctx, name, "button#edit")
	waitJS(t, ctx, "the edit page", `document.querySelector(".page-title").textContent === `+jsString(`Edit "`+name+`" Integration`)+` && document.title.indexOf(`+jsString(name)+`) >= 0`)
	run(t, ctx, fill("#integration_properties_current_password", "magento123"))
	clickAndLoad(t, ctx, "#save")
	waitMessage(t, ctx, "success", "The integration '"+name+"' has been saved.")
	waitJS(t, ctx, "no image anywhere", `!document.querySelector("img")`)
	if n := dialogs.Load(); n != 0 {
		t.Fatalf("%d JavaScript dialogs opened: the name ran as HTML", n)
	}
}

func TestBrowserPostWithoutFormKeyChangesNothing(t *testing.T) {
	srv := integrationtest.NewServer(t)
	in := srv.CreateIntegration(t, integration.Integration{Name: "Keep Me"})
	ctx := newTab(t)
	signIn(t, ctx, srv)
	deleteURL := srv.BaseURL + fmt.Sprintf("admin/admin/integration/delete/id/%d/", in.ID)

	// A plain POST without the key: redirected to the start page.
	postForm(t, ctx, deleteURL, map[string]string{})
	postForm(t, ctx, deleteURL, map[string]string{"form_key": "0123456789abcdef"})
	// An AJAX POST without the key gets Magento's JSON error.
	var res map[string]any
	run(t, ctx, evalAsync(`fetch(`+jsString(deleteURL+"?isAjax=true")+`, {method: "POST", credentials: "same-origin",
		headers: {"X-Requested-With": "XMLHttpRequest", "Content-Type": "application/x-www-form-urlencoded"}, body: "name=x"}).then(function(r){return r.json()})`, &res))
	if res["error"] != true || res["message"] != admin.MsgInvalidFormKey {
		t.Fatalf("AJAX POST without form key = %v", res)
	}
	// Neither a save nor a config change goes through.
	postForm(t, ctx, srv.BaseURL+"admin/admin/integration/save/", map[string]string{"name": "Sneaky", "current_password": "magento123"})
	postForm(t, ctx, srv.BaseURL+"admin/admin/system_config/save/section/webapi/", map[string]string{"groups[webapisecurity][fields][allow_insecure][value]": "1"})

	if status, _ := srv.AdminDo(t, "GET", fmt.Sprintf("/rest/V1/integrations/%d", in.ID), ""); status != http.StatusOK {
		t.Fatalf("the integration was deleted without a form key: %d", status)
	}
	if _, ok := integrationsByName(t, srv)["Sneaky"]; ok {
		t.Fatal("an integration was created without a form key")
	}
	if v, _ := srv.Emulator.Settings().Value("webapi/webapisecurity/allow_insecure"); v != "0" {
		t.Fatalf("allow_insecure = %q after a POST without form key", v)
	}
}
