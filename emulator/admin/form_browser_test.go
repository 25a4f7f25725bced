package admin_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integrationtest"
)

// setSelect chooses value in the select sel as a user would, firing change.
func setSelect(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	var ok bool
	run(t, ctx, chromedp.Evaluate(`(function(){var s=document.querySelector(`+jsString(sel)+`); if(!s){return false}
		s.value=`+jsString(value)+`; s.dispatchEvent(new Event("change",{bubbles:true})); return true})()`, &ok))
	if !ok {
		t.Fatalf("no select %s", sel)
	}
}

// fill replaces the value of the input sel by typing text.
func fill(sel, text string) chromedp.Tasks {
	var ok bool
	tasks := chromedp.Tasks{chromedp.Evaluate(`(function(){var e=document.querySelector(`+jsString(sel)+`); if(e){e.value=""} return !!e})()`, &ok)}
	if text != "" {
		tasks = append(tasks, chromedp.SendKeys(sel, text, chromedp.ByQuery))
	}
	return tasks
}

// clickNode clicks the resource tree node id.
func clickNode(id string) chromedp.Action {
	return chromedp.Click(`li[data-id="`+id+`"] > a.jstree-anchor`, chromedp.ByQuery)
}

// subtree returns id and every resource below it.
func subtree(t *acl.Tree, id string) []string {
	r, _ := t.Resource(id)
	out := []string{r.ID}
	for _, c := range r.Children {
		out = append(out, subtree(t, c.ID)...)
	}
	return out
}

// integrationDoc is the part of a control route's integration used here.
type integrationDoc struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Status       int      `json:"status"`
	AllResources bool     `json:"all_resources"`
	Resources    []string `json:"resources"`
}

// integrationsByName lists the integrations through GET
// /rest/V1/integrations.
func integrationsByName(t *testing.T, srv *integrationtest.Server) map[string]integrationDoc {
	t.Helper()
	status, body := srv.AdminDo(t, "GET", "/rest/V1/integrations", "")
	if status != 200 {
		t.Fatalf("GET /rest/V1/integrations = %d %s", status, body)
	}
	var list []integrationDoc
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	m := make(map[string]integrationDoc)
	for _, in := range list {
		m[in.Name] = in
	}
	return m
}

func TestBrowserCreateWithCustomResources(t *testing.T) {
	srv := integrationtest.NewServer(t)
	ctx := newTab(t)
	signIn(t, ctx, srv)
	run(t, ctx, chromedp.Click("#add", chromedp.ByQuery))
	waitJS(t, ctx, "the New Integration page", `document.querySelector("#edit_form") && document.querySelector(".page-title").textContent === "New Integration"`)

	// Client-side validation: nothing is posted.
	run(t, ctx,
		chromedp.SendKeys("#integration_properties_email", "not-an-email", chromedp.ByQuery),
		chromedp.SendKeys("#integration_properties_endpoint", "ftp//nowhere", chromedp.ByQuery),
		chromedp.Click("#save-split-button-button", chromedp.ByQuery),
	)
	for id, want := range map[string]string{
		"integration_properties_name":             "This is a required field.",
		"integration_properties_email":            "Please enter a valid email address (Ex: johndoe@domain.com).",
		"integration_properties_endpoint":         "Please enter a valid URL. Protocol is required (http://, https:// or ftp://).",
		"integration_properties_current_password": "This is a required field.",
	} {
		waitJS(t, ctx, id+" error", `document.getElementById(`+jsString(id+"-error")+`) && document.getElementById(`+jsString(id+"-error")+`).textContent === `+jsString(want))
	}

	run(t, ctx,
		fill("#integration_properties_name", "ERP Connector"),
		fill("#integration_properties_email", "ops@erp.example"),
		fill("#integration_properties_endpoint", ""),
		chromedp.Click("#integration_edit_tabs_api_section", chromedp.ByQuery),
		chromedp.WaitVisible(`[data-role="resource-tree"]`, chromedp.ByQuery),
	)
	setSelect(t, ctx, "#all_resources", "0")
	run(t, ctx,
		clickNode("Magento_Catalog::catalog"),           // checks the whole subtree
		clickNode("Magento_Sales::sales_invoice"),       // a leaf deep down
		clickNode("Magento_Catalog::catalog_inventory"), // unchecks that subtree only
	)
	tree := acl.Default()
	var want []string
	for _, id := range subtree(tree, "Magento_Catalog::catalog") {
		if !slices.Contains(subtree(tree, "Magento_Catalog::catalog_inventory"), id) {
			want = append(want, id)
		}
	}
	want = append(want, subtree(tree, "Magento_Sales::sales_invoice")...)
	want = append(want, "Magento_Sales::sales", "Magento_Sales::sales_operation") // undetermined ancestors
	slices.Sort(want)
	waitJS(t, ctx, "the Sales node undetermined", `document.querySelector('li[data-id="Magento_Sales::sales"]').classList.contains("jstree-undetermined")`)
	shot(t, ctx, "form-resource-tree")

	// Wrong password: Magento's message, the form comes back as posted.
	run(t, ctx, chromedp.Click("#integration_edit_tabs_info_section", chromedp.ByQuery),
		fill("#integration_properties_current_password", "not-my-password"),
		chromedp.Click("#save-split-button-button", chromedp.ByQuery))
	waitMessage(t, ctx, "error", admin.MsgPasswordInvalid)
	var name string
	run(t, ctx, chromedp.Evaluate(`document.querySelector(`+jsString("#integration_properties_name")+`).value`, &name))
	if name != "ERP Connector" {
		t.Fatalf("name after the failed save = %q, want the posted one", name)
	}
	if _, ok := integrationsByName(t, srv)["ERP Connector"]; ok {
		t.Fatal("the integration was saved with a wrong password")
	}
	waitJS(t, ctx, "the tree restored", `document.querySelector('li[data-id="Magento_Catalog::catalog"]').classList.contains("jstree-checked") &&
		!document.querySelector('li[data-id="Magento_Catalog::catalog_inventory"]').classList.contains("jstree-checked")`)

	run(t, ctx, fill("#integration_properties_current_password", "magento123"),
		chromedp.Click("#save-split-button-button", chromedp.ByQuery))
	waitMessage(t, ctx, "success", "The integration 'ERP Connector' has been saved.")
	waitJS(t, ctx, "the new row", `Array.from(document.querySelectorAll("#integrationGrid td.col-name")).some(function(td){return td.textContent==="ERP Connector"})`)

	// The Admin's requests are in the emulator's journal, without secrets.
	var saves int
	for _, e := range srv.Journal() {
		if e.Outcome == "admin" && e.Route == "integration/save" && e.Method == "POST" {
			saves++
		}
		if b, _ := json.Marshal(e); strings.Contains(string(b), "magento123") || strings.Contains(string(b), "not-my-password") {
			t.Fatalf("journal entry with a password: %s", b)
		}
	}
	if saves != 2 {
		t.Fatalf("journal has %d Admin saves, want 2", saves)
	}

	got := integrationsByName(t, srv)["ERP Connector"]
	res := slices.Clone(got.Resources)
	slices.Sort(res)
	if got.AllResources || !slices.Equal(res, want) {
		t.Fatalf("saved resources = %v (all %v), want %v", res, got.AllResources, want)
	}
}
