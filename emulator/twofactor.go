package emulator

import (
	"errors"
	"net/http"

	"github.com/magekit/magekit/emulator/journal"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/twofactor"
	"github.com/magekit/magekit/webapi"
)

// Messages of the two-factor control route, magekit's own in Magento's
// error shape.
const (
	MsgTwoFactorOff = "Two-factor authentication is off: start the emulator with two-factor authentication (-two-factor)."
	MsgGoogleSecret = "The Google Authenticator secret must be 1 to 1024 Base32 characters (A-Z, 2-7)."
)

// googleSecretURL is the control route that sets an admin user's Google
// Authenticator secret.
const googleSecretURL = emulatorURL + "tfa/google"

// putGoogleSecret is PUT /rest/V1/emulator/tfa/google, {"username",
// "secret"}: the admin user named username gets the Google Authenticator
// secret (Base32), as scanning Magento's QR code gives it; an empty secret
// removes it. With it, POST /V1/integration/admin/token answers "Please use
// the 2fa provider-specific endpoints to obtain a token." and POST
// /V1/tfa/provider/google/authenticate issues the admin token for the
// code of the secret (docs/magento-fidelity.md §5). The answer is true.
// The secret is never logged or journaled.
func (e *Emulator) putGoogleSecret(r *http.Request, _ webapi.Caller) (any, error) {
	if !e.stack.Server.TwoFactorOn() {
		return nil, magerr.New(magerr.Input, MsgTwoFactorOff)
	}
	body, err := webapi.BodyParams(r)
	if err != nil {
		return nil, err
	}
	username, ok, err := bodyString(body["username"])
	if err != nil {
		return nil, err
	}
	var missing []*magerr.Error
	if !ok || username == "" {
		missing = append(missing, magerr.Required("username"))
	}
	secret, ok, err := bodyString(body["secret"])
	if err != nil {
		return nil, err
	}
	if !ok {
		missing = append(missing, magerr.Required("secret"))
	}
	if e := magerr.Join(missing...); e != nil {
		return nil, e
	}
	if secret != "" {
		if _, err := twofactor.DecodeSecret(secret); err != nil {
			return nil, magerr.New(magerr.Input, MsgGoogleSecret)
		}
	}
	switch err := e.stack.Server.SetGoogleSecret(r.Context(), username, secret); {
	case errors.Is(err, store.ErrNotFound):
		return nil, &magerr.Error{Message: webapi.MsgNoSuchEntity, Class: magerr.NoSuchEntity,
			Params: []magerr.Param{{Name: "fieldName", Value: "username"}, {Name: "fieldValue", Value: journal.Cut(username, 256)}}}
	case err != nil:
		return nil, err
	}
	e.log.InfoContext(r.Context(), "emulator: google authenticator secret set", "username", username, "removed", secret == "")
	return true, nil
}
