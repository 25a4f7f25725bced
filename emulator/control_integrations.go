package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	adminpkg "github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/webapi"
)

// timeLayout is how Magento's REST layer writes a timestamp column.
const timeLayout = "2006-01-02 15:04:05"

// integrationDoc is an integration as the control routes answer it.
type integrationDoc struct {
	ID              int64    `json:"id"`
	Name            string   `json:"name"`
	Email           string   `json:"email"`
	Endpoint        string   `json:"endpoint"`
	IdentityLinkURL string   `json:"identity_link_url"`
	Status          int      `json:"status"`
	SetupType       int      `json:"setup_type"`
	AllResources    bool     `json:"all_resources"`
	Resources       []string `json:"resources"`
	ConsumerID      int64    `json:"consumer_id"`
	CreatedAt       string   `json:"created_at"`
	UpdatedAt       string   `json:"updated_at"`
}

func newIntegrationDoc(in integration.Integration) integrationDoc {
	res := slices.Clone(in.Resources)
	if res == nil {
		res = []string{}
	}
	return integrationDoc{
		ID: in.ID, Name: in.Name, Email: in.Email, Endpoint: in.Endpoint, IdentityLinkURL: in.IdentityLinkURL,
		Status: int(in.Status), SetupType: int(in.SetupType), AllResources: in.AllResources, Resources: res,
		ConsumerID: in.ConsumerID, CreatedAt: in.CreatedAt.UTC().Format(timeLayout), UpdatedAt: in.UpdatedAt.UTC().Format(timeLayout),
	}
}

// exchangeDoc is the answer of activate and reauthorize on the
// token-exchange path.
type exchangeDoc struct {
	OAuthConsumerKey string `json:"oauth_consumer_key"`
	IdentityLinkURL  string `json:"identity_link_url"`
}

// credentialsDoc is the four credentials: the answer of activate and
// reauthorize on the direct path, and of tokens.
type credentialsDoc struct {
	ConsumerKey       string `json:"consumer_key"`
	ConsumerSecret    string `json:"consumer_secret"`
	AccessToken       string `json:"access_token"`
	AccessTokenSecret string `json:"access_token_secret"`
}

func newCredentialsDoc(c integration.Credentials) credentialsDoc {
	return credentialsDoc{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret, AccessToken: c.AccessToken, AccessTokenSecret: c.AccessTokenSecret}
}

// integrationInput is the "integration" object of a POST or PUT body; nil
// fields were not given.
type integrationInput struct {
	name, email, endpoint, link *string
	all                         *bool
	resources                   []string
	hasResources                bool
	credentials                 *integration.Credentials
}

// readIntegrationBody reads a POST or PUT body: the required
// "integration" object and the optional "current_password".
func readIntegrationBody(r *http.Request) (integrationInput, map[string]json.RawMessage, error) {
	body, err := webapi.BodyParams(r)
	if err != nil {
		return integrationInput{}, nil, err
	}
	fields, ok, err := bodyObject(body["integration"])
	if err != nil {
		return integrationInput{}, nil, err
	}
	if !ok {
		return integrationInput{}, nil, magerr.Required("integration")
	}
	if err := onlyFields(body, "", "integration", "current_password"); err != nil {
		return integrationInput{}, nil, err
	}
	if err := onlyFields(fields, "integration.", "name", "email", "endpoint", "identity_link_url", "all_resources", "resources", "credentials"); err != nil {
		return integrationInput{}, nil, err
	}
	var in integrationInput
	for _, f := range []struct {
		name string
		dst  **string
	}{{"name", &in.name}, {"email", &in.email}, {"endpoint", &in.endpoint}, {"identity_link_url", &in.link}} {
		s, ok, err := bodyString(fields[f.name])
		if err != nil {
			return integrationInput{}, nil, err
		}
		if ok {
			*f.dst = &s
		}
	}
	all, ok, err := bodyBool(fields["all_resources"])
	if err != nil {
		return integrationInput{}, nil, err
	}
	if ok {
		in.all = &all
	}
	if in.resources, in.hasResources, err = bodyStrings(fields["resources"]); err != nil {
		return integrationInput{}, nil, err
	}
	creds, ok, err := bodyObject(fields["credentials"])
	if err != nil {
		return integrationInput{}, nil, err
	}
	if ok {
		if err := onlyFields(creds, "integration.credentials.", "consumer_key", "consumer_secret", "access_token", "access_token_secret"); err != nil {
			return integrationInput{}, nil, err
		}
		var c integration.Credentials
		for _, f := range []struct {
			name string
			dst  *string
		}{{"consumer_key", &c.ConsumerKey}, {"consumer_secret", &c.ConsumerSecret},
			{"access_token", &c.AccessToken}, {"access_token_secret", &c.AccessTokenSecret}} {
			if *f.dst, _, err = bodyString(creds[f.name]); err != nil {
				return integrationInput{}, nil, err
			}
		}
		in.credentials = &c
	}
	return in, body, nil
}

// apply merges the given fields into cur, as Magento's update merges the
// posted data into the loaded integration.
func (in integrationInput) apply(cur integration.Integration) integration.Integration {
	for _, f := range []struct{ src, dst *string }{
		{in.name, &cur.Name}, {in.email, &cur.Email}, {in.endpoint, &cur.Endpoint}, {in.link, &cur.IdentityLinkURL},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if in.all != nil {
		cur.AllResources = *in.all
	}
	if in.hasResources {
		cur.Resources = in.resources
	}
	return cur
}

// confirmPassword is the admin form's identity check (docs/magento-behaviour.md §1.4): a given
// current_password must be the calling admin's; with RequirePassword a
// missing one fails the same way, as Magento's server-side check does when
// the form's client-side "required" rule is bypassed.
func (e *Emulator) confirmPassword(ctx context.Context, caller webapi.Caller, raw json.RawMessage) error {
	password, ok, err := bodyString(raw)
	if err != nil {
		return err
	}
	if !ok {
		if e.requirePassword {
			return magerr.New(magerr.Authentication, MsgPasswordInvalid)
		}
		return nil
	}
	admin, err := e.stack.Server.Users().Admin(ctx, caller.ID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %w", errNoAdmin, err)
	}
	if err != nil {
		return err
	}
	ok = admin.Password.Match(password)
	if e.admin.Lockout().Record(admin.Username, ok) != nil {
		return magerr.New(magerr.Authentication, adminpkg.MsgAccountDisabled)
	}
	if !ok {
		e.log.InfoContext(ctx, "emulator: admin password confirmation failed", "user_id", caller.ID)
		return magerr.New(magerr.Authentication, MsgPasswordInvalid)
	}
	return nil
}

// createIntegration is POST /V1/integrations. With credentials the
// integration is created Active with exactly those four values.
func (e *Emulator) createIntegration(r *http.Request, caller webapi.Caller) (any, error) {
	in, body, err := readIntegrationBody(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	if err := e.confirmPassword(ctx, caller, body["current_password"]); err != nil {
		return nil, err
	}
	var out integration.Integration
	if in.credentials != nil {
		out, err = e.stack.Service.CreateWithCredentials(ctx, in.apply(integration.Integration{}), *in.credentials)
		err = credentialsErr(err)
	} else {
		out, err = e.stack.Service.Create(ctx, in.apply(integration.Integration{}))
	}
	if err != nil {
		return nil, err
	}
	return newIntegrationDoc(out), nil
}

// listIntegrations is GET /V1/integrations.
func (e *Emulator) listIntegrations(r *http.Request, _ webapi.Caller) (any, error) {
	list, err := e.stack.Service.List(r.Context())
	if err != nil {
		return nil, err
	}
	docs := make([]integrationDoc, len(list))
	for i, in := range list {
		docs[i] = newIntegrationDoc(in)
	}
	return docs, nil
}

// getIntegration is GET /V1/integrations/:id.
func (e *Emulator) getIntegration(r *http.Request, _ webapi.Caller) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	in, err := e.stack.Service.Get(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return newIntegrationDoc(in), nil
}

// updateIntegration is PUT /V1/integrations/:id: the given fields are
// merged into the integration, in Magento's order of checks (docs/magento-behaviour.md §1.4):
// config-file integrations refused, then the password, then validation.
func (e *Emulator) updateIntegration(r *http.Request, caller webapi.Caller) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	in, body, err := readIntegrationBody(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	cur, err := e.stack.Service.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur.SetupType == integration.SetupConfig {
		return nil, magerr.New(magerr.Input, integration.MsgConfigEdit)
	}
	if in.credentials != nil {
		return nil, magerr.New(magerr.Input, MsgCredentialsOnWrite)
	}
	if err := e.confirmPassword(ctx, caller, body["current_password"]); err != nil {
		return nil, err
	}
	out, err := e.stack.Service.Update(ctx, in.apply(cur))
	if err != nil {
		return nil, err
	}
	return newIntegrationDoc(out), nil
}

// deleteIntegration is DELETE /V1/integrations/:id.
func (e *Emulator) deleteIntegration(r *http.Request, _ webapi.Caller) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	if _, err := e.stack.Service.Delete(r.Context(), id); err != nil {
		return nil, err
	}
	return true, nil
}

// activateIntegration is POST /V1/integrations/:id/activate.
func (e *Emulator) activateIntegration(r *http.Request, _ webapi.Caller) (any, error) {
	return e.runActivation(r, e.stack.Service.Activate)
}

// reauthorizeIntegration is POST /V1/integrations/:id/reauthorize.
func (e *Emulator) reauthorizeIntegration(r *http.Request, _ webapi.Caller) (any, error) {
	return e.runActivation(r, e.stack.Service.Reauthorize)
}

func (e *Emulator) runActivation(r *http.Request, step func(context.Context, int64) (integration.Activation, error)) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	act, err := step(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if act.TokenExchange {
		return exchangeDoc{OAuthConsumerKey: act.ConsumerKey, IdentityLinkURL: act.IdentityLinkURL}, nil
	}
	return newCredentialsDoc(act.Credentials), nil
}

// integrationTokens is GET /V1/integrations/:id/tokens: the four
// credentials once an access token exists; before, 404 with
// integration.MsgNoAccessToken.
func (e *Emulator) integrationTokens(r *http.Request, _ webapi.Caller) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := e.stack.Service.Credentials(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if c.AccessToken == "" {
		return nil, magerr.New(magerr.NoSuchEntity, integration.MsgNoAccessToken, fmt.Sprint(id))
	}
	return newCredentialsDoc(c), nil
}
