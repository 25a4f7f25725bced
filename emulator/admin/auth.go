package admin

import (
	"errors"
	"net/http"
	"strings"
)

// signIn answers a caller without a session (docs/magento-admin.md §7.1):
// a POST carrying login[username] tries to sign in and, on success,
// redirects to the URL it was sent to; an XHR gets Magento's
// {"ajaxExpired":1,...}; anything else gets the sign-in page, whose form
// posts back to the URL asked for.
func (a *Admin) signIn(q *request) {
	r := q.r
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(q.w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err == nil && r.PostForm.Has("login[username]") {
			q.action = actionSignIn
			a.login(q)
			return
		}
	}
	if q.ajax {
		a.writeJSON(q, map[string]any{"ajaxExpired": 1, "ajaxRedirect": a.URL("")})
		return
	}
	var errs []message
	if c, err := r.Cookie(reasonCookie); err == nil && c.Value == reasonCodeLockedOut {
		errs = append(errs, escaped("error", MsgAccountDisabled))
		a.clearCookie(q.w, reasonCookie)
	}
	a.loginPage(q, errs)
}

// loginPage renders the sign-in form with a fresh form key, kept in a
// cookie for the POST to match (no server state before sign-in).
func (a *Admin) loginPage(q *request, msgs []message) {
	key, err := randomString(a.cfg.Rand, formKeyLen)
	if err != nil {
		a.internalError(q, err)
		return
	}
	http.SetCookie(q.w, &http.Cookie{Name: loginKeyCookie, Value: key, Path: a.cookiePath(), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: a.secure()})
	action := a.base + strings.TrimPrefix(q.r.URL.EscapedPath(), "/")
	if q.action == "auth/logout" {
		action = a.URL("")
	}
	a.renderPage(q, "login", pageData{Title: "Magento Admin", FormKey: key, Messages: msgs, Action: action})
}

// login checks login[username] and login[password] against the admin
// users and the lockout, then starts a session.
func (a *Admin) login(q *request) {
	r := q.r
	c, err := r.Cookie(loginKeyCookie)
	if err != nil || !sameKey(r.PostForm.Get("form_key"), c.Value) {
		q.message = MsgInvalidFormKey
		a.loginPage(q, []message{escaped("error", MsgInvalidFormKey)})
		return
	}
	name, password := r.PostForm.Get("login[username]"), r.PostForm.Get("login[password]")
	u, ok, err := a.cfg.Users.VerifyAdmin(r.Context(), name, password)
	if err != nil {
		a.internalError(q, err)
		return
	}
	if u.ID != 0 {
		if lerr := a.lockout.Record(u.Username, ok); errors.Is(lerr, ErrLocked) {
			ok = false
		}
	}
	if !ok || name == "" {
		q.message = MsgSignInFailed
		a.cfg.Logger.InfoContext(r.Context(), "admin: sign-in failed", "user_id", u.ID)
		a.loginPage(q, []message{escaped("error", MsgSignInFailed)})
		return
	}
	se, err := a.sessions.create(a.cfg.Rand, u, a.cfg.Now())
	if err != nil {
		a.internalError(q, err)
		return
	}
	q.se, q.signedIn = *se, true
	a.setSessionCookie(q.w, se.id, a.sessionLifetime())
	a.clearCookie(q.w, loginKeyCookie)
	target := a.base + strings.TrimPrefix(q.r.URL.EscapedPath(), "/")
	if q.r.URL.RawQuery != "" {
		target += "?" + q.r.URL.RawQuery
	}
	a.redirect(q, target)
}

// logout ends the session and shows the sign-in page.
func (a *Admin) logout(q *request) {
	a.sessions.delete(q.se.id)
	a.clearCookie(q.w, sessionCookie)
	a.redirect(q, a.URL(""))
}

// lockedOut ends the session of a user locked by a failed password
// confirmation: the cookie loggedOutReasonCode=10 makes the sign-in page
// show [MsgAccountDisabled] (docs/magento-admin.md §7.1).
func (a *Admin) lockedOut(q *request) {
	a.sessions.delete(q.se.id)
	a.clearCookie(q.w, sessionCookie)
	http.SetCookie(q.w, &http.Cookie{Name: reasonCookie, Value: reasonCodeLockedOut, Path: a.cookiePath(), SameSite: http.SameSiteStrictMode, Secure: a.secure()})
	q.message = MsgAccountDisabled
	a.redirect(q, a.URL(""))
}

// internalError answers a failure of the store or of the clockwork: the
// cause is logged, the admin sees Magento's generic message.
func (a *Admin) internalError(q *request, err error) {
	a.cfg.Logger.ErrorContext(q.r.Context(), "admin: internal error", "action", q.action, "err", err)
	q.status = http.StatusInternalServerError
	q.message = MsgInternalError
	if q.ajax {
		a.writeJSON(q, map[string]any{"error": true, "message": MsgInternalError})
		return
	}
	a.renderPage(q, "notfound", pageData{Title: "Error", Heading: MsgInternalError})
}
