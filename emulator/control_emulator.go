package emulator

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/settings"
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
	if err := onlyFields(body, "", "config"); err != nil {
		return nil, err
	}
	values := make(map[string]string, len(fields))
	for path, raw := range fields {
		if !e.freeConfig && !settings.Known(path) {
			return nil, magerr.New(magerr.Input, MsgUnknownConfigPath, path)
		}
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

// reset is POST /V1/emulator/reset.
func (e *Emulator) reset(r *http.Request, _ webapi.Caller) (any, error) {
	if err := e.Reset(r.Context()); err != nil {
		return nil, err
	}
	return true, nil
}
