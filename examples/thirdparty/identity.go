package main

import (
	"flag"
	"html/template"
	"net/http"
	"net/url"
)

// IdentityPath is the path of the third party's identity link page: the
// "Identity link URL" of the integration is http://<listen>/identity.
const IdentityPath = "/identity"

// keepServing keeps the endpoint and the identity page up after the
// handshake, for an admin's browser that has yet to open the page.
var keepServing = flag.Bool("keep-serving", false, "keep serving the endpoint and the identity link page after the handshake, until interrupted")

// identityForm is the "sign in to the third party" page that Magento's
// admin opens in a popup, with oauth_consumer_key and success_call_back in
// its query.
var identityForm = template.Must(template.New("identity").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to the third party</title>
<style>body{font:15px/1.4 sans-serif;margin:2em}form{max-width:22em}label{display:block;margin:.8em 0}input{width:100%;padding:.4em}button{padding:.5em 1.5em}</style></head>
<body>
<h1>Sign in to the third party</h1>
<p>Link your account with the Magento store whose consumer key is <code id="tp-consumer-key">{{.Key}}</code>.</p>
<form id="tp-signin-form" method="post" action="{{.Action}}">
<input type="hidden" name="oauth_consumer_key" value="{{.Key}}">
<input type="hidden" name="success_call_back" value="{{.Callback}}">
<label>Email <input id="tp-email" name="email" type="email" required></label>
<label>Password <input id="tp-password" name="password" type="password" required></label>
<button id="tp-signin" type="submit">Sign in and link</button>
</form>
</body>
</html>
`))

// serveIdentity answers the identity link: GET shows the sign-in form;
// POST, once an email is given, redirects the browser to the
// success_call_back it was given, which tells Magento's admin that the
// account is linked (its page then closes the popup).
func (a *App) serveIdentity(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	key, callback := r.Form.Get("oauth_consumer_key"), r.Form.Get("success_call_back")
	u, err := url.Parse(callback)
	if key == "" || err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
		http.Error(w, "oauth_consumer_key and an absolute success_call_back URL are required", http.StatusBadRequest)
		return
	}
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = identityForm.Execute(w, struct{ Key, Callback, Action string }{key, callback, IdentityPath})
	case http.MethodPost:
		if r.PostForm.Get("email") == "" {
			http.Error(w, "email is required", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, callback, http.StatusSeeOther)
	default:
		http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
	}
}
