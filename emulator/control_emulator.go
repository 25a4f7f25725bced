package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/webapi"
)

// configDoc is the answer of GET and PUT /V1/emulator/config, and the
// body PUT takes.
type configDoc struct {
	Config map[string]string `json:"config"`
}

// getConfig is GET /V1/emulator/config: every config path and its value.
func (e *Emulator) getConfig(_ *http.Request, _ webapi.Caller) (any, error) {
	return configDoc{Config: e.stack.Settings.All()}, nil
}

// putConfig is PUT /V1/emulator/config: {"config": {"<path>": "<value>"}}
// changes the given paths together (all or none), then answers the whole
// map. Values may be JSON strings, numbers (as written) or booleans (1 and
// 0).
func (e *Emulator) putConfig(r *http.Request, _ webapi.Caller) (any, error) {
	body, err := webapi.BodyParams(r)
	if err != nil {
		return nil, err
	}
	fields, ok, err := bodyObject(body["config"])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, magerr.Required("config")
	}
	values := make(map[string]string, len(fields))
	for path, raw := range fields {
		v, err := configValue(raw)
		if err != nil {
			return nil, err
		}
		values[path] = v
	}
	if err := e.stack.Settings.Set(values); err != nil {
		return nil, err
	}
	e.log.InfoContext(r.Context(), "emulator: config changed", "paths", len(values))
	return configDoc{Config: e.stack.Settings.All()}, nil
}

// configValue reads one config value: a string, a number as written, or a
// boolean as "1" or "0".
func configValue(raw json.RawMessage) (string, error) {
	switch strings.TrimSpace(string(raw)) {
	case "true":
		return "1", nil
	case "false":
		return "0", nil
	case "null":
		return "", typeMismatch(raw, "string")
	}
	s, _, err := bodyString(raw)
	return s, err
}

// fixtureDoc is a fixture as the control routes answer it.
type fixtureDoc struct {
	Method string          `json:"method"`
	URL    string          `json:"url"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// putFixture is PUT /V1/emulator/fixtures: {"fixture": {"method", "url",
// "status", "body"}} makes the fixture the answer of its route and answers
// it.
func (e *Emulator) putFixture(r *http.Request, _ webapi.Caller) (any, error) {
	body, err := webapi.BodyParams(r)
	if err != nil {
		return nil, err
	}
	fields, ok, err := bodyObject(body["fixture"])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, magerr.Required("fixture")
	}
	f, err := parseFixture(fields)
	if err != nil {
		return nil, err
	}
	if err := e.SetFixture(f); err != nil {
		return nil, err
	}
	set, err := e.stack.Server.Fixture(f.Method, f.URL)
	if err != nil {
		return nil, err
	}
	return fixtureDoc(set), nil
}

// parseFixture reads a fixture object: method and url required, status an
// integer (0 or missing: 200), body any JSON value.
func parseFixture(fields map[string]json.RawMessage) (webapi.Fixture, error) {
	method, hasMethod, err := bodyString(fields["method"])
	if err != nil {
		return webapi.Fixture{}, err
	}
	url, hasURL, err := bodyString(fields["url"])
	if err != nil {
		return webapi.Fixture{}, err
	}
	var missing []*magerr.Error
	if !hasMethod || method == "" {
		missing = append(missing, magerr.Required("method"))
	}
	if !hasURL || url == "" {
		missing = append(missing, magerr.Required("url"))
	}
	if e := magerr.Join(missing...); e != nil {
		return webapi.Fixture{}, e
	}
	status, err := bodyInt(fields["status"])
	if err != nil {
		return webapi.Fixture{}, err
	}
	return webapi.Fixture{Method: strings.ToUpper(method), URL: url, Status: status, Body: fields["body"]}, nil
}

// bodyInt reads an integer parameter: a JSON integer, or a string of
// decimal digits as PHP converts it. A missing or null value reads as 0.
func bodyInt(raw json.RawMessage) (int, error) {
	if !present(raw) {
		return 0, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, typeMismatch(raw, "int")
	}
	return n, nil
}

// reset is POST /V1/emulator/reset.
func (e *Emulator) reset(r *http.Request, _ webapi.Caller) (any, error) {
	if err := e.Reset(r.Context()); err != nil {
		return nil, err
	}
	return true, nil
}
