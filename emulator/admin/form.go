package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/magerr"
)

// Messages of the form (docs/magento-admin.md §3.5, §7.1, §9).
const (
	MsgSaved           = "The integration '%1' has been saved."
	MsgNotSaved        = "The integration was not saved."
	MsgPasswordInvalid = "The password entered for the current user is invalid. Verify the password and try again."
)

// formData is the posted form of a save, kept to fill the form again
// after a failure.
type formData struct {
	ID              string
	Name            string
	Email           string
	Endpoint        string
	IdentityLinkURL string
	CurrentPassword string
	AllResources    bool
	Resources       []string
}

// formView is the New, Edit or View page.
type formView struct {
	ID    int64
	New   bool
	View  bool // a config-file integration: read only
	Data  formData
	Creds integration.Credentials
	Tree  []treeNode
	// Granted is the read-only tree of a config-file integration.
	Granted []treeNode
}

// newForm is integration/new: an empty form, or the POST of a failed
// save.
func (a *Admin) newForm(q *request) {
	fv := &formView{New: true}
	if d := a.sessions.takeRestore(q.se.id); d != nil && d.ID == "" {
		fv.Data = *d
	}
	fv.Tree = fullTree(a.svc.Tree(), fv.Data.Resources)
	a.renderPage(q, "form", pageData{Title: "New Integration", Heading: "New Integration", Menu: "integrations", Form: fv})
}

// editForm is integration/edit/id/N: the stored integration (with a failed
// save's POST over it), its credentials, and for a config-file integration
// the read-only View.
func (a *Admin) editForm(q *request) {
	id, ok := a.idParam(q, q.param("id"))
	if !ok {
		return
	}
	ctx := q.r.Context()
	in, err := a.svc.Get(ctx, id)
	if err != nil {
		a.failTo(q, err, a.URL("admin/integration/"))
		return
	}
	creds, err := a.svc.Credentials(ctx, id)
	if err != nil {
		a.internalError(q, err)
		return
	}
	fv := &formView{ID: id, Creds: creds, View: in.SetupType == integration.SetupConfig, Data: formData{
		ID: strconv.FormatInt(id, 10), Name: in.Name, Email: in.Email, Endpoint: in.Endpoint,
		IdentityLinkURL: in.IdentityLinkURL, AllResources: in.AllResources, Resources: in.Resources,
	}}
	if d := a.sessions.takeRestore(q.se.id); d != nil && d.ID == fv.Data.ID {
		fv.Data = *d
	}
	title := `Edit "` + in.Name + `" Integration`
	if fv.View {
		title = `View "` + in.Name + `" Integration`
		fv.Granted = grantedTree(a.svc.Tree(), in.AllResources, in.Resources)
	} else {
		fv.Tree = fullTree(a.svc.Tree(), fv.Data.Resources)
	}
	a.renderPage(q, "form", pageData{Title: title, Heading: title, Menu: "integrations", Form: fv})
}

// idParam reads an integration id; a missing, zero or malformed one gives
// Magento's error and a redirect to the grid.
func (a *Admin) idParam(q *request, raw string) (int64, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		a.flash(q, "error", integration.MsgInvalidID)
		a.redirect(q, a.URL("admin/integration/"))
		return 0, false
	}
	return id, true
}

// failTo shows err and redirects to target: a Magento error shows its
// text, anything else is logged and shows the generic message.
func (a *Admin) failTo(q *request, err error, target string) {
	var me *magerr.Error
	if errors.As(err, &me) {
		a.flash(q, "error", me.Text())
	} else {
		a.cfg.Logger.ErrorContext(q.r.Context(), "admin: action failed", "action", q.action, "err", err)
		a.flash(q, "error", MsgInternalError)
	}
	a.redirect(q, target)
}

// readForm reads the posted integration form.
func readForm(r *http.Request) formData {
	f := r.PostForm
	d := formData{
		ID: strings.TrimSpace(f.Get("id")), Name: f.Get("name"), Email: f.Get("email"), Endpoint: f.Get("endpoint"),
		IdentityLinkURL: f.Get("identity_link_url"), CurrentPassword: f.Get("current_password"),
		AllResources: f.Get("all_resources") != "" && f.Get("all_resources") != "0",
	}
	for _, res := range f["resource[]"] {
		if len(d.Resources) < 1024 {
			d.Resources = append(d.Resources, res)
		}
	}
	return d
}

// save is integration/save, in Magento's order of checks
// (docs/magento-admin.md §3.5): the id and the config-file guard, the
// password confirmation with the lockout, then the integration service.
// A normal POST ends on the grid with a message; an XHR (Save & Activate)
// gets {"integrationId":..,"isTokenExchange":..} or {"_redirect":..}.
func (a *Admin) save(q *request) {
	ctx := q.r.Context()
	if len(q.r.PostForm) <= 1 {
		a.flash(q, "error", MsgNotSaved)
		q.message = MsgNotSaved
		return
	}
	d := readForm(q.r)
	back := a.URL("admin/integration/new/")
	var cur integration.Integration
	if d.ID != "" {
		id, err := strconv.ParseInt(d.ID, 10, 64)
		if err != nil || id <= 0 {
			a.flash(q, "error", magerr.New(magerr.NoSuchEntity, integration.MsgNotFound, d.ID).Text())
			a.redirect(q, a.URL("admin/integration/"))
			return
		}
		if cur, err = a.svc.Get(ctx, id); err != nil {
			a.failTo(q, err, a.URL("admin/integration/"))
			return
		}
		back = a.URL("admin/integration/edit/id/" + d.ID + "/")
		if cur.SetupType == integration.SetupConfig {
			a.flash(q, "error", integration.MsgConfigEdit)
			a.redirect(q, back)
			return
		}
	}
	if ok, locked := a.confirmPassword(q, d.CurrentPassword); locked {
		a.lockedOut(q)
		return
	} else if !ok {
		a.sessions.setRestore(q.se.id, &d)
		a.flash(q, "error", MsgPasswordInvalid)
		a.redirect(q, back)
		return
	}
	cur.Name, cur.Email, cur.Endpoint, cur.IdentityLinkURL = d.Name, d.Email, d.Endpoint, d.IdentityLinkURL
	cur.AllResources, cur.Resources = d.AllResources, d.Resources
	if cur.Resources == nil {
		cur.Resources = []string{}
	}
	var (
		out integration.Integration
		err error
	)
	if cur.ID == 0 {
		out, err = a.svc.Create(ctx, cur)
	} else {
		out, err = a.svc.Update(ctx, cur)
	}
	if err != nil {
		var me *magerr.Error
		if errors.As(err, &me) && me.Message != integration.MsgInvalidLink {
			a.sessions.setRestore(q.se.id, &d)
		}
		a.failTo(q, err, back)
		return
	}
	if q.ajax {
		exchange := "0"
		if out.TokenExchange() {
			exchange = "1"
		}
		a.writeJSON(q, map[string]any{"integrationId": out.ID, "isTokenExchange": exchange})
		return
	}
	a.flash(q, "success", magerr.New(magerr.Input, MsgSaved, out.Name).Text())
	a.redirect(q, a.URL("admin/integration/"))
}

// confirmPassword is Magento's performIdentityCheck for the signed-in
// admin, counted by the lockout: whether the password matched, and
// whether the user was locked (then ok is false).
func (a *Admin) confirmPassword(q *request, password string) (ok, locked bool) {
	var err error
	_, ok, err = a.cfg.Users.VerifyAdmin(q.r.Context(), q.se.user.Username, password)
	if err != nil {
		a.cfg.Logger.ErrorContext(q.r.Context(), "admin: password check", "err", err)
		ok = false
	}
	if errors.Is(a.lockout.Record(q.se.user.Username, ok), ErrLocked) {
		return false, true
	}
	if !ok {
		a.cfg.Logger.InfoContext(q.r.Context(), "admin: password confirmation failed", "user_id", q.se.user.ID)
	}
	return ok, false
}
