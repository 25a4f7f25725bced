package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
	"github.com/magekit/magekit/webapi"
)

// dialogButton is the primary button of the open slide-in dialog.
const dialogButton = "aside.modal-slide .modal-footer button.action-primary"

// credentialsDoc is GET /rest/V1/integrations/:id/tokens.
type credentialsDoc struct {
	ConsumerKey       string `json:"consumer_key"`
	ConsumerSecret    string `json:"consumer_secret"`
	AccessToken       string `json:"access_token"`
	AccessTokenSecret string `json:"access_token_secret"`
}

func controlTokens(t *testing.T, srv *integrationtest.Server, id int64) credentialsDoc {
	t.Helper()
	status, body := srv.AdminDo(t, "GET", fmt.Sprintf("/rest/V1/integrations/%d/tokens", id), "")
	if status != http.StatusOK {
		t.Fatalf("GET tokens = %d %s", status, body)
	}
	var c credentialsDoc
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// dialogTokens reads the four values of the tokens dialog.
func dialogTokens(t *testing.T, ctx context.Context) credentialsDoc {
	t.Helper()
	var c credentialsDoc
	waitJS(t, ctx, "the tokens dialog", `document.querySelector("#integration_token_token") && document.querySelector("#integration_token_token").value !== ""`)
	run(t, ctx,
		chromedp.Evaluate(`document.querySelector(`+jsString("#integration_token_consumer_key")+`).value`, &c.ConsumerKey),
		chromedp.Evaluate(`document.querySelector(`+jsString("#integration_token_consumer_secret")+`).value`, &c.ConsumerSecret),
		chromedp.Evaluate(`document.querySelector(`+jsString("#integration_token_token")+`).value`, &c.AccessToken),
		chromedp.Evaluate(`document.querySelector(`+jsString("#integration_token_token_secret")+`).value`, &c.AccessTokenSecret),
	)
	return c
}

// rowJS is a JavaScript expression for the grid row of the integration
// named name.
func rowJS(name string) string {
	return `Array.from(document.querySelectorAll("#integrationGrid tbody tr")).find(function(tr){var c=tr.querySelector("td.col-name"); return c && c.firstChild && c.firstChild.textContent===` + jsString(name) + `})`
}

// clickRow clicks sel inside the grid row of name.
func clickRow(t *testing.T, ctx context.Context, name, sel string) {
	t.Helper()
	waitJS(t, ctx, "the row "+name, rowJS(name))
	run(t, ctx, chromedp.Evaluate(`(function(){`+rowJS(name)+`.querySelector(`+jsString(sel)+`).setAttribute("data-test-target","1")})()`, nil),
		chromedp.Click(`[data-test-target="1"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("[data-test-target]").forEach(function(e){e.removeAttribute("data-test-target")})`, nil))
}

// waitRowStatus waits until the grid, reloaded as needed, shows the row
// of name with status and link.
func waitRowStatus(t *testing.T, ctx context.Context, srv *integrationtest.Server, name, status, link string) {
	t.Helper()
	cond := `(function(){var r=` + rowJS(name) + `; return r && r.querySelector("td.col-status").textContent===` + jsString(status) +
		` && r.querySelector("td.col-activate a").textContent===` + jsString(link) + `})()`
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(function(){try{return `+cond+`}catch(e){return false}})()`, &ok)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the grid does not show %q as %s/%s", name, status, link)
		}
		time.Sleep(300 * time.Millisecond)
		run(t, ctx, chromedp.Navigate(gridURL(srv)))
	}
}

func TestBrowserActivateDirect(t *testing.T) {
	srv := integrationtest.NewServer(t)
	in := srv.CreateIntegration(t, integration.Integration{Name: "Direct ERP", Email: "erp@example.com",
		Resources: []string{"Magento_Sales::sales", "Magento_Sales::sales_operation", "Magento_Sales::sales_order", "Magento_Catalog::catalog"}})
	srv.CreateIntegration(t, integration.Integration{Name: "Legacy PIM", Endpoint: "http://pim.example/endpoint", IdentityLinkURL: "http://pim.example/link", AllResources: true})
	srv.CreateIntegration(t, integration.Integration{Name: "Shipping", Endpoint: "https://ship.example/endpoint", IdentityLinkURL: "https://ship.example/link", AllResources: true})
	ctx := newTab(t)
	signIn(t, ctx, srv)
	waitMessage(t, ctx, "notice", admin.MsgNotSecure)

	clickRow(t, ctx, "Direct ERP", "td.col-activate a")
	waitJS(t, ctx, "the permissions dialog", `document.querySelector("aside.modal-slide .modal-title") && document.querySelector("aside.modal-slide .modal-title").textContent === "Direct ERP" &&
		document.querySelector("aside.modal-slide .modal-content").textContent.indexOf(`+jsString(admin.MsgApproveAccess)+`) >= 0 &&
		document.querySelector('aside.modal-slide li[data-id="Magento_Sales::sales_order"]') && !document.querySelector('aside.modal-slide li[data-id="Magento_Customer::customer"]')`)
	var label string
	run(t, ctx, chromedp.Evaluate(`document.querySelector(`+jsString(dialogButton)+`).textContent`, &label))
	if label != "Allow" {
		t.Fatalf("permissions dialog button = %q, want Allow", label)
	}
	shot(t, ctx, "dialog-permissions")

	run(t, ctx, chromedp.Click(dialogButton, chromedp.ByQuery))
	got := dialogTokens(t, ctx)
	shot(t, ctx, "dialog-tokens")
	if want := controlTokens(t, srv, in.ID); got != want {
		t.Fatalf("tokens dialog = %+v, GET /tokens = %+v", got, want)
	}
	run(t, ctx, chromedp.Click(dialogButton, chromedp.ByQuery)) // Done
	waitMessage(t, ctx, "success", "The integration 'Direct ERP' has been activated.")
	waitRowStatus(t, ctx, srv, "Direct ERP", "Active", "Reauthorize")
	waitJS(t, ctx, "the insecure label", rowJS("Legacy PIM")+`.querySelector(".security-notice").textContent === "Integration not secure"`)
	waitJS(t, ctx, "no label on https", `!`+rowJS("Shipping")+`.querySelector(".security-notice")`)
	shot(t, ctx, "grid")
}

func TestBrowserReauthorize(t *testing.T) {
	srv := integrationtest.NewServer(t, integrationtest.WithFixture(webapi.Fixture{
		Method: "GET", URL: "/V1/products", Body: json.RawMessage(`{"items":[],"total_count":0}`),
	}))
	in := srv.CreateIntegration(t, integration.Integration{Name: "Reauth", AllResources: true})
	old := srv.Activate(t, in.ID)
	get := func(c integration.Credentials) int {
		resp, err := srv.SignedClient(c).Get(srv.URL + "/rest/V1/products?searchCriteria[pageSize]=1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get(old); s != http.StatusOK {
		t.Fatalf("old token before reauthorizing: %d", s)
	}
	ctx := newTab(t)
	signIn(t, ctx, srv)
	clickRow(t, ctx, "Reauth", "td.col-activate a")
	waitJS(t, ctx, "the Reauthorize button", `document.querySelector(`+jsString(dialogButton)+`) && document.querySelector(`+jsString(dialogButton)+`).textContent === "Reauthorize"`)
	run(t, ctx, chromedp.Click(dialogButton, chromedp.ByQuery))
	fresh := dialogTokens(t, ctx)
	run(t, ctx, chromedp.Click(dialogButton, chromedp.ByQuery))
	waitMessage(t, ctx, "success", "The integration 'Reauth' has been re-authorized.")
	if fresh.ConsumerKey != old.ConsumerKey || fresh.ConsumerSecret != old.ConsumerSecret || fresh.AccessToken == old.AccessToken {
		t.Fatalf("reauthorized credentials %+v: want the same consumer and a new token", fresh)
	}
	if s := get(old); s != http.StatusUnauthorized {
		t.Fatalf("old token after reauthorizing: %d, want 401", s)
	}
	if s := get(integration.Credentials(fresh)); s != http.StatusOK {
		t.Fatalf("new token: %d, want 200", s)
	}
}

func TestBrowserSaveAndActivateTokenExchange(t *testing.T) {
	tp := startThirdParty(t)
	srv := integrationtest.NewServer(t)
	ctx := newTab(t)
	signIn(t, ctx, srv)
	run(t, ctx, chromedp.Navigate(srv.BaseURL+"admin/admin/integration/new/"), chromedp.WaitVisible("#edit_form", chromedp.ByQuery),
		chromedp.SendKeys("#integration_properties_name", "Acme Connector", chromedp.ByQuery),
		chromedp.SendKeys("#integration_properties_endpoint", tp.URL, chromedp.ByQuery),
		chromedp.SendKeys("#integration_properties_identity_link_url", tp.URL+"identity", chromedp.ByQuery),
		chromedp.SendKeys("#integration_properties_current_password", "magento123", chromedp.ByQuery),
		chromedp.Click("#integration_edit_tabs_api_section", chromedp.ByQuery))
	setSelect(t, ctx, "#all_resources", "1")
	run(t, ctx, chromedp.Click("#save-split-button .action-toggle", chromedp.ByQuery),
		chromedp.Click("#save-split-button-activate", chromedp.ByQuery))
	waitJS(t, ctx, "the permissions dialog", `document.querySelector("aside.modal-slide .modal-title") && document.querySelector("aside.modal-slide .modal-title").textContent === "Acme Connector"`)

	popups := chromedp.WaitNewTarget(ctx, func(i *target.Info) bool { return strings.HasPrefix(i.URL, tp.URL+"identity") })
	run(t, ctx, chromedp.Click(dialogButton, chromedp.ByQuery))
	var tid target.ID
	select {
	case tid = <-popups:
	case <-time.After(20 * time.Second):
		t.Fatal("no popup opened at the identity link")
	}
	popup, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(tid))
	defer cancel()
	var loc string
	run(t, popup, chromedp.WaitVisible("#tp-signin-form", chromedp.ByQuery), chromedp.Location(&loc))

	in := srv.Integration(t, "Acme Connector")
	creds, err := srv.Emulator.Service().Credentials(t.Context(), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	callback := srv.BaseURL + "admin/admin/integration/loginSuccessCallback/"
	wantLoc := tp.URL + "identity?oauth_consumer_key=" + creds.ConsumerKey + "&success_call_back=" + url.QueryEscape(callback)
	if loc != wantLoc {
		t.Fatalf("popup at %s, want %s", loc, wantLoc)
	}
	waitJS(t, ctx, "the exchange dialog", `document.querySelector("aside.modal-slide .modal-content") && document.querySelector("aside.modal-slide .modal-content").textContent.indexOf(`+jsString(admin.MsgExchangeNotice)+`) >= 0`)
	shot(t, ctx, "dialog-exchange")
	shot(t, popup, "identity-link")

	run(t, popup, chromedp.SendKeys("#tp-email", "owner@acme.example", chromedp.ByQuery),
		chromedp.SendKeys("#tp-password", "acme-password", chromedp.ByQuery),
		chromedp.Click("#tp-signin", chromedp.ByQuery))
	// The callback page closes the popup; the admin's page, polling, goes
	// to the grid with the notice.
	waitMessage(t, ctx, "notice", "Integration 'Acme Connector' has been sent for activation.")
	// The admin's page saw the popup reach success_call_back; the page
	// there closes the popup a second later.
	for deadline := time.Now().Add(10 * time.Second); ; {
		targets, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		open := ""
		for _, ti := range targets {
			if ti.TargetID == tid {
				open = ti.URL
			}
		}
		if open == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the popup is still open at %s", open)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitRowStatus(t, ctx, srv, "Acme Connector", "Active", "Reauthorize")
	if out := tp.Output(); !strings.Contains(out, "handshake complete") {
		t.Fatalf("thirdparty output:\n%s", out)
	}
}

// evalAsync evaluates a JavaScript promise and stores its value in res.
func evalAsync(js string, res any) chromedp.Action {
	return chromedp.Evaluate(js, res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })
}
