package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/magekit/magekit/emulator/journal"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi"
	"github.com/magekit/magekit/webapi/route"
)

// ControlResource is the ACL resource of every control route, the one that
// guards Magento's admin integration pages (docs/magento-behaviour.md §1.6).
const ControlResource = "Magento_Integration::integrations"

// Messages of the control routes. MsgPasswordInvalid and MsgTypeMismatch
// are Magento's (the admin's identity check, docs/magento-behaviour.md §1.4, and
// SerializationException::TYPE_MISMATCH of the REST input processor); the
// others are magekit's own, in Magento's error shape.
const (
	MsgPasswordInvalid    = "The password entered for the current user is invalid. Verify the password and try again."
	MsgTypeMismatch       = `The "%value" value's type is invalid. The "%type" type was expected. Verify and try again.`
	MsgCredentialsTaken   = "The consumer key, consumer secret or access token is already used by another integration."
	MsgCredentialsOnWrite = "Credentials can be given only when an integration is created."
	MsgControlFixture     = "The route %1 %2 is a control route of the emulator and takes no fixture."
	MsgUnknownField       = `The field "%1" is unknown.`
	MsgUnknownConfigPath  = `The config path "%1" is not one the emulator knows; start it with -free-config to allow any path.`
)

// controlPrefixes are the URL prefixes of the control routes; Magento's
// table has no route under them.
const (
	integrationsURL = "/V1/integrations"
	emulatorURL     = "/V1/emulator/"
)

// controlRoutes are the emulator's control routes and their handlers, in
// the order of the README's table of control routes.
var controlRoutes = []struct {
	method, url string
	fn          func(e *Emulator, r *http.Request, caller webapi.Caller) (any, error)
}{
	{"POST", integrationsURL, (*Emulator).createIntegration},
	{"GET", integrationsURL, (*Emulator).listIntegrations},
	{"GET", integrationsURL + "/:id", (*Emulator).getIntegration},
	{"PUT", integrationsURL + "/:id", (*Emulator).updateIntegration},
	{"DELETE", integrationsURL + "/:id", (*Emulator).deleteIntegration},
	{"POST", integrationsURL + "/:id/activate", (*Emulator).activateIntegration},
	{"POST", integrationsURL + "/:id/reauthorize", (*Emulator).reauthorizeIntegration},
	{"GET", integrationsURL + "/:id/tokens", (*Emulator).integrationTokens},
	{"GET", emulatorURL + "config", (*Emulator).getConfig},
	{"PUT", emulatorURL + "config", (*Emulator).putConfig},
	{"PUT", emulatorURL + "fixtures", (*Emulator).putFixture},
	{"GET", emulatorURL + "fixtures", (*Emulator).listFixtures},
	{"DELETE", emulatorURL + "fixtures", (*Emulator).deleteFixtures},
	{"GET", emulatorURL + "fixtures/:id", (*Emulator).getFixture},
	{"DELETE", emulatorURL + "fixtures/:id", (*Emulator).deleteFixture},
	{"GET", emulatorURL + "scenarios", (*Emulator).getScenarios},
	{"PUT", emulatorURL + "scenarios", (*Emulator).putScenarios},
	{"GET", emulatorURL + "journal", (*Emulator).getJournal},
	{"GET", emulatorURL + "journal/count", (*Emulator).countJournal},
	{"DELETE", emulatorURL + "journal", (*Emulator).clearJournal},
	{"POST", emulatorURL + "reset", (*Emulator).reset},
	{"PUT", googleSecretURL, (*Emulator).putGoogleSecret},
}

// ControlRoutes returns the emulator's control routes, all guarded by
// [ControlResource], for a route table: [New] appends them to
// [webapi.DefaultRoutes].
func ControlRoutes() []route.Route {
	routes := make([]route.Route, len(controlRoutes))
	for i, c := range controlRoutes {
		routes[i] = route.Route{Method: c.method, URL: c.url, Resources: []string{ControlResource}}
	}
	return routes
}

// isControlRoute reports whether url is a control route's pattern.
func isControlRoute(url string) bool {
	return url == integrationsURL || strings.HasPrefix(url, integrationsURL+"/") || strings.HasPrefix(url, emulatorURL)
}

// controlFunc serves one control route for an admin caller: it returns the
// value answered as JSON with 200, or an error.
type controlFunc func(r *http.Request, caller webapi.Caller) (any, error)

// registerControl attaches the control handlers to their routes.
func (e *Emulator) registerControl() error {
	for _, c := range controlRoutes {
		fn := func(r *http.Request, caller webapi.Caller) (any, error) { return c.fn(e, r, caller) }
		if err := e.stack.Server.Handle(c.method, c.url, e.control(fn)); err != nil {
			return err
		}
	}
	return nil
}

// control wraps fn: the Server has already checked the caller against
// ControlResource; control further requires an admin user, since an
// integration granted the resource is not one (401, as Magento's ACL
// answers, journaled as "denied"). It answers JSON, whatever the Accept
// header, and journals the request with its error.
func (e *Emulator) control(fn controlFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := e.now()
		caller, _ := webapi.CallerFromContext(r.Context())
		route, _ := webapi.RouteFromContext(r.Context())
		var (
			v   any
			err error
		)
		if caller.Type != user.Admin {
			err = magerr.Named(magerr.Authorization, webapi.MsgNotAuthorized, "resources", ControlResource)
		} else {
			v, err = fn(r, caller)
		}
		entry := journal.NewEntry(at, r, route.URL)
		entry.Outcome = string(webapi.OutcomeHandler)
		entry.SetCaller(caller)
		entry.SetRequest(r)
		if caller.Type != user.Admin {
			entry.Outcome = string(webapi.OutcomeDenied)
		}
		if err != nil {
			// Control routes answer JSON only: drop the Accept header so
			// that WriteError renders JSON.
			rj := r.Clone(r.Context())
			rj.Header.Del("Accept")
			me := e.stack.Server.WriteError(w, rj, err)
			entry.Status = me.Status()
			entry.SetError(me)
		} else {
			entry.Status = http.StatusOK
			if p, ok := v.(journal.Page); ok {
				p.Stream(w)
			} else {
				writeJSON(w, http.StatusOK, v)
			}
		}
		if err == nil && unjournaled(r.Method, route.URL) {
			return
		}
		e.requests.Add(entry)
	})
}

// onlyFields refuses, with a 400 naming it (prefix first), a field of a
// control route's body that the route does not read: a typo would
// otherwise be ignored silently.
func onlyFields(fields map[string]json.RawMessage, prefix string, allowed ...string) error {
	for name := range fields {
		if !slices.Contains(allowed, name) {
			return magerr.New(magerr.Input, MsgUnknownField, prefix+name)
		}
	}
	return nil
}

// unjournaled reports whether a successful control call stays out of the
// journal: a reset or a clear, which just emptied it, and the journal's
// reads, so that reading the journal does not change it.
func unjournaled(method, url string) bool {
	switch url {
	case emulatorURL + "reset", emulatorURL + "journal/count":
		return true
	case emulatorURL + "journal":
		return method == http.MethodGet || method == http.MethodDelete
	}
	return false
}

// writeJSON answers v as JSON, with '<', '>' and '&' written as they are.
// Values are this package's own types, which always marshal.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		b.Reset()
		b.WriteString(`{"message":"Internal Error."}`)
		status = http.StatusInternalServerError
	}
	w.Header()["Content-Type"] = []string{"application/json; charset=utf-8"}
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// typeMismatch is the REST input processor's error for a value of the
// wrong type: a Webapi exception (400) whose message is substituted.
func typeMismatch(raw json.RawMessage, typ string) *magerr.Error {
	return &magerr.Error{Message: MsgTypeMismatch, Class: magerr.Webapi, Code: http.StatusBadRequest,
		Params: []magerr.Param{{Name: "value", Value: phpValue(raw)}, {Name: "type", Value: typ}}}
}

// phpValue is how PHP prints a decoded JSON value in a message: a string
// as is, an array or object as "Array", other scalars as written; cut to
// 256 bytes.
func phpValue(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return journal.Cut(s, 256)
	}
	t := strings.TrimSpace(string(raw))
	if strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{") {
		return "Array"
	}
	return journal.Cut(t, 256)
}

// bodyString reads a string parameter: a JSON string, or a number as
// written (PHP converts it). ok is false for a missing or null value.
func bodyString(raw json.RawMessage) (s string, ok bool, err error) {
	if !present(raw) {
		return "", false, nil
	}
	if json.Unmarshal(raw, &s) == nil {
		return s, true, nil
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true, nil
	}
	return "", false, typeMismatch(raw, "string")
}

// bodyBool reads a boolean parameter as Magento's type processor does:
// true and false, 1 and 0, "1", "0", "true" and "false". ok is false for a
// missing or null value.
func bodyBool(raw json.RawMessage) (b, ok bool, err error) {
	if !present(raw) {
		return false, false, nil
	}
	switch strings.TrimSpace(string(raw)) {
	case "true", "1", `"1"`, `"true"`:
		return true, true, nil
	case "false", "0", `"0"`, `"false"`:
		return false, true, nil
	}
	return false, false, typeMismatch(raw, "bool")
}

// bodyStrings reads a list of strings. ok is false for a missing or null
// value.
func bodyStrings(raw json.RawMessage) (l []string, ok bool, err error) {
	if !present(raw) {
		return nil, false, nil
	}
	if json.Unmarshal(raw, &l) != nil {
		return nil, false, typeMismatch(raw, "string[]")
	}
	if l == nil {
		l = []string{}
	}
	return l, true, nil
}

// bodyObject reads an object parameter. ok is false for a missing or null
// value.
func bodyObject(raw json.RawMessage) (m map[string]json.RawMessage, ok bool, err error) {
	if !present(raw) {
		return nil, false, nil
	}
	if json.Unmarshal(raw, &m) != nil {
		return nil, false, typeMismatch(raw, "object")
	}
	return m, true, nil
}

// pathID reads the route's :id as Magento reads an int path parameter.
func pathID(r *http.Request) (int64, error) {
	raw := webapi.PathParams(r)["id"]
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		q, _ := json.Marshal(raw)
		return 0, typeMismatch(q, "int")
	}
	return id, nil
}

// credentialsErr turns the store's uniqueness failure of given
// credentials into a Magento input error; other errors pass unchanged.
func credentialsErr(err error) error {
	var me *magerr.Error
	if !errors.As(err, &me) && errors.Is(err, store.ErrExists) {
		return magerr.New(magerr.Input, MsgCredentialsTaken).Wrap(err)
	}
	return err
}

// present reports whether a body parameter was given and is not null.
func present(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}
