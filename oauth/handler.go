package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/magekit/magekit/magerr"
)

// RequestTokenHandler serves Magento's /oauth/token/request (SPEC §5.2 step
// 7) for any HTTP method: 200 with `oauth_token=…&oauth_token_secret=…`, or
// the failure as `oauth_problem=…` (SPEC §8.4). Mount it where the host
// wants; the provider owns no mux.
func (p *Provider) RequestTokenHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := p.RequestToken(r.Context(), r)
		// RFC 5849 §2.1 has the server confirm the callback; Magento never does.
		p.respond(w, t, err, p.profile == RFC5849)
	})
}

// AccessTokenHandler serves Magento's /oauth/token/access (SPEC §5.2 step
// 8) for any HTTP method, answering as [Provider.RequestTokenHandler].
func (p *Provider) AccessTokenHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := p.AccessToken(r.Context(), r)
		p.respond(w, t, err, false)
	})
}

// respond writes a token endpoint's answer. Magento's controllers set no
// Content-Type, so the framework's text/html applies.
func (p *Provider) respond(w http.ResponseWriter, t Token, err error, confirmCallback bool) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	if err != nil {
		status, body := Problem(err)
		if status == http.StatusInternalServerError {
			p.log.Error("oauth: token endpoint failed", "error", err)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return
	}
	body := "oauth_token=" + phpFormEncode(t.Token) + "&oauth_token_secret=" + phpFormEncode(t.Secret)
	if confirmCallback {
		body += "&oauth_callback_confirmed=true"
	}
	_, _ = w.Write([]byte(body))
}

// Problem returns the status and the body with which Magento's token
// endpoints answer err (Helper/Request::prepareErrorResponse, SPEC §8.4):
// `oauth_problem=<message>` form-encoded as PHP's http_build_query encodes
// (space as '+'). An OAuth error is 401 with its substituted message; an
// input error 400, several input errors joined as each message without its
// final '.' and ", " between them; anything else 500 with
// `internal_error&message=<message>` as the value.
func Problem(err error) (status int, body string) {
	var me *magerr.Error
	if !errors.As(err, &me) {
		return http.StatusInternalServerError, "oauth_problem=" + phpFormEncode("internal_error&message="+messageOr(err.Error()))
	}
	switch me.Class {
	case magerr.OAuth:
		return http.StatusUnauthorized, "oauth_problem=" + phpFormEncode(me.Text())
	case magerr.Input:
		msg := me.Text()
		if len(me.Errors) > 0 {
			parts := make([]string, len(me.Errors))
			for i, e := range me.Errors {
				parts[i] = strings.TrimSuffix(e.Text(), ".")
			}
			msg = strings.Join(parts, ", ")
		}
		return http.StatusBadRequest, "oauth_problem=" + phpFormEncode(msg)
	}
	return http.StatusInternalServerError, "oauth_problem=" + phpFormEncode("internal_error&message="+messageOr(me.Text()))
}

func messageOr(s string) string {
	if s == "" {
		return "empty_message"
	}
	return s
}

type identityKey struct{}

// WithIdentity returns a copy of ctx that carries id, as
// [Provider.Middleware] attaches it.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFromContext returns the identity [Provider.Middleware] attached
// to ctx, and whether there is one.
func IdentityFromContext(ctx context.Context) (Identity, bool) {
	g, ok := ctx.Value(identityKey{}).(Identity)
	return g, ok
}

// Middleware verifies every request with [Provider.Verify]. A verified
// request reaches next with its [Identity] in the context; a request that is
// not OAuth at all reaches next without one (Magento's next user context,
// the guest); a failed one is answered as Magento's REST layer answers it
// (SPEC §7.4): JSON {"message", "parameters"} or, for several input
// errors, {"message", "errors"}, with the class's status; an internal error
// is a 500 with a report id and no detail.
func (p *Provider) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, err := p.Verify(r.Context(), r)
		switch {
		case err == nil:
			next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), g)))
		case errors.Is(err, ErrNotOAuth):
			next.ServeHTTP(w, r)
		default:
			p.writeRESTError(w, err)
		}
	})
}

// restError is Magento's JSON error body.
type restError struct {
	Message    string      `json:"message"`
	Errors     []restError `json:"errors,omitempty"`
	Parameters any         `json:"parameters,omitempty"`
}

func toREST(e *magerr.Error) restError {
	out := restError{Message: e.Message}
	if len(e.Params) > 0 {
		if e.Positional() {
			vs := make([]string, len(e.Params))
			for i, p := range e.Params {
				vs[i] = p.Value
			}
			out.Parameters = vs
		} else {
			m := make(map[string]string, len(e.Params))
			for _, p := range e.Params {
				m[p.Name] = p.Value
			}
			out.Parameters = m
		}
	}
	for _, sub := range e.Errors {
		out.Errors = append(out.Errors, toREST(sub))
	}
	return out
}

func (p *Provider) writeRESTError(w http.ResponseWriter, err error) {
	var me *magerr.Error
	status := http.StatusInternalServerError
	var body restError
	if errors.As(err, &me) && me.Status() != http.StatusInternalServerError {
		status, body = me.Status(), toREST(me)
	} else {
		now := p.now()
		id := fmt.Sprintf("webapi-%08x%05x", now.Unix(), now.Nanosecond()/1000)
		p.log.Error("oauth: verification failed", "report_id", id, "error", err)
		body = restError{Message: "Internal Error. Details are available in Magento log file. Report ID: " + id}
	}
	b, _ := json.Marshal(body) // strings, slices and maps of strings only
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
