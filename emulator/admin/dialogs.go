package admin

import (
	"bytes"
	"context"
	"net/http"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/magerr"
)

// Messages of the activation flow and of delete (docs/magento-admin.md §4,
// §5, §9).
const (
	MsgActivated        = "The integration '%1' has been activated."
	MsgReauthorized     = "The integration '%1' has been re-authorized."
	MsgSentActivation   = "Integration '%1' has been sent for activation."
	MsgSentReauthorize  = "Integration '%1' has been sent for re-authorization."
	MsgDeleted          = "The integration '%1' has been deleted."
	MsgExchangeNotice   = "Please setup or sign in into your 3rd party account to complete setup of this integration."
	MsgApproveAccess    = "The integration you selected asks you to approve access to the following:"
	MsgNoPermissions    = "No permissions requested"
	successCallbackBody = "<script>setTimeout(self.close.bind(this), 1000);</script>"
)

// permissionsView is the permissions dialog's content.
type permissionsView struct {
	Tree []treeNode
}

// tokensView is the tokens dialog's content: the four credentials.
type tokensView struct {
	Creds integration.Credentials
}

// text substitutes args into a Magento template.
func text(template string, args ...string) string {
	return magerr.New(magerr.Input, template, args...).Text()
}

// dialogIntegration reads the id of a dialog request and loads the
// integration; on failure it has answered the JSON redirect to the grid.
func (a *Admin) dialogIntegration(q *request) (integration.Integration, bool) {
	id, ok := a.idParam(q, q.param("id"))
	if !ok {
		return integration.Integration{}, false
	}
	in, err := a.svc.Get(q.r.Context(), id)
	if err != nil {
		a.failTo(q, err, a.URL("admin/integration/"))
		return integration.Integration{}, false
	}
	return in, true
}

// permissionsDialog is integration/permissionsDialog/id/N/reauthorize/R:
// the resources the integration asks for (docs/magento-admin.md §4.2).
func (a *Admin) permissionsDialog(q *request) {
	in, ok := a.dialogIntegration(q)
	if !ok {
		return
	}
	a.renderFragment(q, "permissions", permissionsView{Tree: grantedTree(a.svc.Tree(), in.AllResources, in.Resources)})
}

// activation runs Activate or, with reauthorize=1, Reauthorize.
func (a *Admin) activation(ctx context.Context, q *request, id int64) (integration.Activation, error) {
	if q.param("reauthorize") == "1" {
		return a.svc.Reauthorize(ctx, id)
	}
	return a.svc.Activate(ctx, id)
}

// tokensDialog is integration/tokensDialog: the direct path's Allow or
// Reauthorize, answering the four credentials (docs/magento-admin.md
// §4.3). The success message shows on the next page, the grid.
func (a *Admin) tokensDialog(q *request) {
	in, ok := a.dialogIntegration(q)
	if !ok {
		return
	}
	act, err := a.activation(q.r.Context(), q, in.ID)
	if err != nil {
		a.failTo(q, err, a.URL("admin/integration/"))
		return
	}
	msg := MsgActivated
	if q.param("reauthorize") == "1" {
		msg = MsgReauthorized
	}
	a.renderFragment(q, "tokens", tokensView{Creds: act.Credentials})
	a.flash(q, "success", text(msg, in.Name))
}

// tokensExchange is integration/tokensExchange: the token-exchange path's
// server side (the credential POST), answering the identity link URL and
// consumer key for the browser's popup (docs/magento-admin.md §4.4).
func (a *Admin) tokensExchange(q *request) {
	in, ok := a.dialogIntegration(q)
	if !ok {
		return
	}
	act, err := a.activation(q.r.Context(), q, in.ID)
	if err != nil {
		a.failTo(q, err, a.URL("admin/integration/"))
		return
	}
	var popup bytes.Buffer
	if err := a.pages["exchange"].ExecuteTemplate(&popup, "content", nil); err != nil {
		a.internalError(q, err)
		return
	}
	msg := MsgSentActivation
	if q.param("reauthorize") == "1" {
		msg = MsgSentReauthorize
	}
	a.flash(q, "notice", text(msg, in.Name))
	a.writeJSON(q, map[string]string{
		"identity_link_url":  act.Integration.IdentityLinkURL,
		"oauth_consumer_key": act.ConsumerKey,
		"popup_content":      popup.String(),
	})
}

// delete is integration/delete/id/N (docs/magento-admin.md §5): always a
// redirect to the grid.
func (a *Admin) delete(q *request) {
	in, ok := a.dialogIntegration(q)
	if !ok {
		return
	}
	if in.SetupType == integration.SetupConfig {
		a.flash(q, "error", text(integration.MsgConfigDelete, in.Name))
		a.redirect(q, a.URL("admin/integration/"))
		return
	}
	if _, err := a.svc.Delete(q.r.Context(), in.ID); err != nil {
		a.failTo(q, err, a.URL("admin/integration/"))
		return
	}
	a.flash(q, "success", text(MsgDeleted, in.Name))
	a.redirect(q, a.URL("admin/integration/"))
}

// loginSuccessCallback is the success_call_back page: it closes its popup
// a second later (docs/magento-admin.md §4.4 step 5).
func (a *Admin) loginSuccessCallback(q *request) {
	q.w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	q.w.WriteHeader(http.StatusOK)
	_, _ = q.w.Write([]byte(successCallbackBody))
}
