package admin

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strings"

	"github.com/magekit/magekit/integration"
)

// pageData is what every page template receives.
type pageData struct {
	Title    string // <title>
	Heading  string // the page title shown
	Base     string // absolute URL of /admin/, ending in "/"
	FormKey  string
	Action   string // sign-in form target
	User     string
	Menu     string // "integrations", "config"
	Messages []message
	// System holds Magento's system messages (the Reset notice).
	System          []template.HTML
	SuccessCallback string
	Grid            *gridView
	Form            *formView
	Config          *configView
	// systemKnown tells renderPage that System is already computed.
	systemKnown bool
}

// layoutFiles are parsed into every page; each page file defines the
// "content" block of one page, each fragment file the whole of a dialog.
var (
	layoutFiles = []string{"assets/templates/layout.html", "assets/templates/tree.html"}
	pageFiles   = []string{"login", "notfound", "grid", "form", "config", "permissions", "tokens", "exchange"}
)

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"odd": func(i int) bool { return i%2 == 1 },
	// dict builds the arguments of a "field": name/value pairs.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("admin: dict: odd argument count")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("admin: dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// parsePages parses the embedded templates: one set per page, each the
// layout plus the page's blocks.
func parsePages() (map[string]*template.Template, error) {
	layout, err := template.New("admin").Funcs(funcs).ParseFS(assets, layoutFiles...)
	if err != nil {
		return nil, fmt.Errorf("admin: templates: %w", err)
	}
	pages := make(map[string]*template.Template, len(pageFiles))
	for _, p := range pageFiles {
		t, err := layout.Clone()
		if err == nil {
			_, err = t.ParseFS(assets, "assets/templates/"+p+".html")
		}
		if err != nil {
			return nil, fmt.Errorf("admin: template %s: %w", p, err)
		}
		pages[p] = t
	}
	return pages, nil
}

// renderPage writes a full page whose content is the page template's
// "content" block, with the session's queued messages.
func (a *Admin) renderPage(q *request, page string, d pageData) {
	d.Base = a.URL("")
	d.SuccessCallback = a.base + SuccessCallbackPath
	if q.signedIn {
		d.FormKey = q.se.formKey
		d.User = q.se.user.Username
		d.Messages = append(d.Messages, a.sessions.takeFlash(q.se.id)...)
		if !d.systemKnown {
			d.System = a.systemMessages(q)
		}
	}
	d.Messages = ordered(d.Messages)
	a.execute(q, page, "layout", d)
}

// renderFragment writes a dialog's HTML fragment: the "content" block of
// the template name.
func (a *Admin) renderFragment(q *request, name string, v any) {
	a.execute(q, name, "content", v)
}

// execute runs block of page's set into a buffer, then answers it.
func (a *Admin) execute(q *request, page, block string, v any) {
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := a.pages[page].ExecuteTemplate(&buf, block, v); err != nil {
		a.cfg.Logger.ErrorContext(q.r.Context(), "admin: render", "page", page, "err", err)
		q.status = http.StatusInternalServerError
		q.message = MsgInternalError
		http.Error(q.w, MsgInternalError, http.StatusInternalServerError)
		return
	}
	q.w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	q.w.WriteHeader(q.status)
	_, _ = q.w.Write(buf.Bytes())
}

// ordered sorts messages as Magento groups them: error, warning, notice,
// success.
func ordered(ms []message) []message {
	out := make([]message, 0, len(ms))
	for _, typ := range []string{"error", "warning", "notice", "success"} {
		for _, m := range ms {
			if m.Type == typ {
				out = append(out, m)
			}
		}
	}
	return out
}

// systemMessages returns the Reset notice while a config-file integration
// has status Reset (docs/magento-admin.md §6).
func (a *Admin) systemMessages(q *request) []template.HTML {
	notice, err := a.svc.ResetNotice(q.r.Context())
	return a.resetMessage(err == nil && notice != "")
}

// resetMessage returns Magento's Reset system message when reset is true.
func (a *Admin) resetMessage(reset bool) []template.HTML {
	if !reset {
		return nil
	}
	link := html.EscapeString(a.URL("admin/integration/"))
	text := strings.Replace(html.EscapeString(integration.MsgIntegrationsReset), html.EscapeString(`<a href="%1">`), `<a href="`+link+`">`, 1)
	text = strings.Replace(text, html.EscapeString(`</a>`), `</a>`, 1)
	return []template.HTML{template.HTML(text)}
}
