package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Messages of the sign-in and of the key checks (docs/magento-admin.md
// §1.1, §7.1).
const (
	MsgSignInFailed     = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."
	MsgAccountDisabled  = "Your account is temporarily disabled. Please try again later."
	MsgInvalidFormKey   = "Invalid Form Key. Please refresh the page."
	MsgInvalidSecretKey = "You entered an invalid Secret Key. Please refresh the page."
	MsgInternalError    = "Internal error. Check exception log for details."
	reasonCodeLockedOut = "10"
	maxFormBytes        = 1 << 20
	maxPathPairs        = 8
	actionNotFound      = "noroute"
	methodAny           = ""
	methodGetOrPost     = "GET POST"
	actionSignIn        = "auth/login"
)

// request is one request being answered.
type request struct {
	w        http.ResponseWriter
	r        *http.Request
	action   string            // "integration/save"
	params   map[string]string // path pairs, then the query
	ajax     bool
	se       session
	signedIn bool
	status   int
	message  string // the error shown, for the journal
}

// param returns the path-pair or query parameter name.
func (q *request) param(name string) string { return q.params[name] }

// action is one controller action: the methods it takes ("GET", "POST",
// methodGetOrPost or methodAny) and its handler.
type action struct {
	methods string
	fn      func(a *Admin, q *request)
	// stateGET marks a GET that changes state: it needs the session's form
	// key as a query parameter, the emulator's stand-in for Magento's URL
	// secret key.
	stateGET bool
}

// actions are the Admin's controller actions by "controller/action"
// (docs/magento-admin.md §1.2).
var actions = map[string]action{
	"index/index":                      {"GET", (*Admin).home, false},
	"dashboard/index":                  {"GET", (*Admin).home, false},
	"auth/logout":                      {"GET", (*Admin).logout, false},
	"integration/index":                {"GET", (*Admin).gridPage, false},
	"integration/grid":                 {methodGetOrPost, (*Admin).gridFragment, false},
	"integration/new":                  {"GET", (*Admin).newForm, false},
	"integration/edit":                 {"GET", (*Admin).editForm, false},
	"integration/save":                 {"POST", (*Admin).save, false},
	"integration/delete":               {"POST", (*Admin).delete, false},
	"integration/permissionsDialog":    {"GET", (*Admin).permissionsDialog, false},
	"integration/tokensDialog":         {"GET", (*Admin).tokensDialog, true},
	"integration/tokensExchange":       {"GET", (*Admin).tokensExchange, true},
	"integration/loginSuccessCallback": {methodAny, (*Admin).loginSuccessCallback, false},
	"system_config/index":              {"GET", (*Admin).configIndex, false},
	"system_config/edit":               {"GET", (*Admin).configEdit, false},
	"system_config/save":               {"POST", (*Admin).configSave, false},
}

// ServeHTTP answers a request whose path (below the base URL) starts with
// /admin/: the static assets, the sign-in page for a caller without a
// session, else the action.
func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/"+Prefix+"static/") {
		a.static.ServeHTTP(w, r)
		return
	}
	q := &request{w: w, r: r, status: http.StatusOK}
	q.action, q.params = route(r.URL)
	for k, v := range r.URL.Query() {
		if _, ok := q.params[k]; !ok && len(v) > 0 {
			q.params[k] = v[0]
		}
	}
	q.ajax = q.params["isAjax"] != "" || q.params["ajax"] != "" || r.Header.Get("X-Requested-With") == "XMLHttpRequest"
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Cache-Control", "no-store")
	defer a.journal(q)
	if c, err := r.Cookie(sessionCookie); err == nil {
		q.se, q.signedIn = a.sessions.get(c.Value, a.cfg.Now(), a.sessionLifetime())
	}
	if !q.signedIn {
		a.signIn(q)
		return
	}
	a.setSessionCookie(w, q.se.id, a.sessionLifetime())
	act, ok := actions[q.action]
	if !ok || !allows(act.methods, r.Method) {
		q.action = actionNotFound
		a.notFound(q)
		return
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil || !sameKey(r.PostForm.Get("form_key"), q.se.formKey) {
			a.refuseKey(q, MsgInvalidFormKey)
			return
		}
	} else if act.stateGET && !sameKey(q.param("form_key"), q.se.formKey) {
		a.refuseKey(q, MsgInvalidSecretKey)
		return
	}
	act.fn(a, q)
}

// allows reports whether methods (see action) admits m.
func allows(methods, m string) bool {
	if methods == methodAny {
		return true
	}
	if m == http.MethodHead {
		m = http.MethodGet
	}
	for _, x := range strings.Fields(methods) {
		if x == m {
			return true
		}
	}
	return false
}

// route splits a path below /admin/ into "controller/action" and the path
// pairs after it: /admin/admin/integration/edit/id/7/ is
// "integration/edit" with id=7. The bare /admin/ is "index/index" and a
// missing action is "index".
func route(u *url.URL) (string, map[string]string) {
	params := make(map[string]string)
	rest := strings.TrimPrefix(strings.TrimPrefix(u.Path, "/admin"), "/")
	parts := strings.FieldsFunc(rest, func(r rune) bool { return r == '/' })
	if len(parts) > 0 && parts[0] == "admin" {
		parts = parts[1:]
	} else if len(parts) > 0 {
		return actionNotFound, params
	}
	controller, act := "index", "index"
	if len(parts) > 0 {
		controller = parts[0]
	}
	if len(parts) > 1 {
		act = parts[1]
	}
	for i := 2; i+1 < len(parts) && i < 2+2*maxPathPairs; i += 2 {
		params[parts[i]] = parts[i+1]
	}
	return controller + "/" + act, params
}

// refuseKey answers a POST without the session's form key, or a
// state-changing GET without it: for AJAX the JSON error, otherwise a
// redirect to the start page; nothing runs (B/App/AbstractAction.php,
// _processUrlKeys).
func (a *Admin) refuseKey(q *request, msg string) {
	q.message = msg
	if q.ajax {
		a.writeJSON(q, map[string]any{"error": true, "message": msg})
		return
	}
	a.redirect(q, a.URL("admin/integration/"))
}

// home is the start page: the integrations grid, the only screen.
func (a *Admin) home(q *request) { a.redirect(q, a.URL("admin/integration/")) }

// notFound answers an unknown action or method.
func (a *Admin) notFound(q *request) {
	q.status = http.StatusNotFound
	q.message = "404 Error: Page not found."
	a.renderPage(q, "notfound", pageData{Title: "404 Error", Heading: "404 Error"})
}

// redirect sends a 303 to target, or for an XHR Magento's JSON
// {"_redirect": target} (I/Controller/Adminhtml/Integration.php).
func (a *Admin) redirect(q *request, target string) {
	if q.ajax {
		a.writeJSON(q, map[string]string{"_redirect": target})
		return
	}
	q.status = http.StatusSeeOther
	http.Redirect(q.w, q.r, target, http.StatusSeeOther)
}

// writeJSON answers v as JSON with status 200.
func (a *Admin) writeJSON(q *request, v any) {
	q.w.Header().Set("Content-Type", "application/json")
	q.w.WriteHeader(q.status)
	_ = json.NewEncoder(q.w).Encode(v)
}

// flash queues a message for the next page. text is plain: it is escaped
// here, except for the spans the caller passes as safe.
func (a *Admin) flash(q *request, typ, text string) {
	if typ == "error" && q.message == "" {
		q.message = text
	}
	a.sessions.addFlash(q.se.id, escaped(typ, text))
}

// journal reports the request to the Recorder.
func (a *Admin) journal(q *request) {
	if a.cfg.Journal == nil {
		return
	}
	a.cfg.Journal.RecordAdmin(Event{
		Time:     a.cfg.Now().UTC(),
		Method:   q.r.Method,
		Path:     cut(q.r.URL.EscapedPath(), 2048),
		Action:   q.action,
		UserID:   q.se.user.ID,
		Username: cut(q.se.user.Username, 255),
		Status:   q.status,
		Message:  q.message,
	})
}

// cut shortens s to n bytes.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
