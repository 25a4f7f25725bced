package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/internal/php"
	"github.com/magekit/magekit/oauth/signature"
)

// RequestTokenHandler serves Magento's /oauth/token/request (docs/magento-behaviour.md §5.2 step
// 7) for any HTTP method, as [Provider.ServeRequestToken]. Mount it where
// the host wants; the provider owns no mux.
func (p *Provider) RequestTokenHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = p.ServeRequestToken(w, r) })
}

// AccessTokenHandler serves Magento's /oauth/token/access (docs/magento-behaviour.md §5.2 step
// 8) for any HTTP method, as [Provider.ServeAccessToken].
func (p *Provider) AccessTokenHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = p.ServeAccessToken(w, r) })
}

// ServeRequestToken answers r as Magento's /oauth/token/request: 200 with
// `oauth_token=…&oauth_token_secret=…`, or the failure as
// `oauth_problem=…` (docs/magento-behaviour.md §8.4). It returns the status written and the
// error answered (nil on success), for a host that journals requests.
func (p *Provider) ServeRequestToken(w http.ResponseWriter, r *http.Request) (int, error) {
	t, err := p.RequestToken(r.Context(), r)
	// RFC 5849 §2.1 has the server confirm the callback; Magento never does.
	return p.writeToken(w, t, err, p.profile == signature.RFC5849), err
}

// ServeAccessToken answers r as Magento's /oauth/token/access, as
// [Provider.ServeRequestToken] answers.
func (p *Provider) ServeAccessToken(w http.ResponseWriter, r *http.Request) (int, error) {
	t, err := p.AccessToken(r.Context(), r)
	return p.writeToken(w, t, err, false), err
}

// writeToken writes a token endpoint's answer and returns its status: the
// token form-encoded as PHP's http_build_query encodes it, or the problem.
// Magento's controllers set no Content-Type, so the framework's text/html
// applies.
func (p *Provider) writeToken(w http.ResponseWriter, t Token, err error, confirmCallback bool) int {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	if err != nil {
		status, body := p.problem(err)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return status
	}
	body := "oauth_token=" + php.URLEncode(t.Token) + "&oauth_token_secret=" + php.URLEncode(t.Secret)
	if confirmCallback {
		body += "&oauth_callback_confirmed=true"
	}
	_, _ = w.Write([]byte(body))
	return http.StatusOK
}

// problem returns the status and the body with which Magento's token
// endpoints answer err (Helper/Request::prepareErrorResponse, docs/magento-behaviour.md §8.4):
// `oauth_problem=<message>` form-encoded as PHP's http_build_query encodes
// (space as '+'). An OAuth error is 401 with its substituted message; an
// input error 400, several input errors joined as each message without its
// final '.' and ", " between them; another Magento error 500 with
// `internal_error&message=<message>` as the value. An error that is not a
// Magento error (a store failing, say) is a 500 whose message is
// [magerr.InternalMessage] with a new report id: its text goes to the log
// under that id, never to the client.
func (p *Provider) problem(err error) (status int, body string) {
	var me *magerr.Error
	if !errors.As(err, &me) {
		id := magerr.ReportID(p.now())
		p.log.Error("oauth: token endpoint failed", "report_id", id, "error", err)
		return http.StatusInternalServerError, "oauth_problem=" + php.URLEncode("internal_error&message="+magerr.Masked(id))
	}
	switch me.Class {
	case magerr.OAuth:
		return http.StatusUnauthorized, "oauth_problem=" + php.URLEncode(me.Text())
	case magerr.Input:
		msg := me.Text()
		if len(me.Errors) > 0 {
			parts := make([]string, len(me.Errors))
			for i, e := range me.Errors {
				parts[i] = strings.TrimSuffix(e.Text(), ".")
			}
			msg = strings.Join(parts, ", ")
		}
		return http.StatusBadRequest, "oauth_problem=" + php.URLEncode(msg)
	}
	p.log.Error("oauth: token endpoint failed", "error", err)
	return http.StatusInternalServerError, "oauth_problem=" + php.URLEncode("internal_error&message="+messageOr(me.Text()))
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
// (docs/magento-behaviour.md §7.4): JSON {"message", "parameters"} or, for several input
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
		id := magerr.ReportID(p.now())
		p.log.Error("oauth: verification failed", "report_id", id, "error", err)
		body = restError{Message: magerr.Masked(id)}
	}
	b, _ := json.Marshal(body) // strings, slices and maps of strings only
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
