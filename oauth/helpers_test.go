package oauth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/memstore"
)

// epoch is the fixed clock of the provider tests.
var epoch = time.Unix(1718000000, 0).UTC()

// fixture is a memstore with one consumer whose verifier row exists, and a
// provider over it with a fixed clock.
type fixture struct {
	t        *testing.T
	store    *memstore.Store
	provider *oauth.Provider
	consumer oauth.Consumer
	verifier oauth.Token
	now      time.Time
	nonces   atomic.Int64
}

func newFixture(t *testing.T, cfg oauth.Config) *fixture {
	t.Helper()
	s, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: s, now: epoch}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return f.now }
	}
	f.provider = oauth.NewProvider(s, cfg)
	f.consumer = f.newConsumer("integration1")
	f.verifier = f.issueVerifier(f.consumer.ID)
	return f
}

// newConsumer stores a consumer whose expiry window opens now.
func (f *fixture) newConsumer(name string) oauth.Consumer {
	f.t.Helper()
	c := oauth.Consumer{Name: name, Key: mustCredential(f.t), Secret: mustCredential(f.t), CreatedAt: f.now, UpdatedAt: f.now}
	if err := f.store.CreateConsumer(context.Background(), &c); err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) issueVerifier(consumerID int64) oauth.Token {
	f.t.Helper()
	v, err := oauth.IssueVerifier(context.Background(), f.store, consumerID, nil, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func mustCredential(t testing.TB) string {
	t.Helper()
	s, err := oauth.NewCredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// nonce returns a nonce never used before in this fixture.
func (f *fixture) nonce() string {
	return "n" + strconv.FormatInt(f.nonces.Add(1), 10)
}

// oauthParams returns the protocol parameters a client sends, without the
// signature; token and verifier only when not empty.
func (f *fixture) oauthParams(c oauth.Consumer, token, verifier string) []signature.Param {
	ps := []signature.Param{
		{Name: signature.ParamConsumerKey, Value: c.Key},
		{Name: signature.ParamNonce, Value: f.nonce()},
		{Name: signature.ParamSignatureMethod, Value: signature.HMACSHA256},
		{Name: signature.ParamTimestamp, Value: strconv.FormatInt(f.now.Unix(), 10)},
		{Name: signature.ParamVersion, Value: "1.0"},
	}
	if token != "" {
		ps = append(ps, signature.Param{Name: signature.ParamToken, Value: token})
	}
	if verifier != "" {
		ps = append(ps, signature.Param{Name: signature.ParamVerifier, Value: verifier})
	}
	return ps
}

// set returns ps with name set to value (appended when absent).
func set(ps []signature.Param, name, value string) []signature.Param {
	out := append([]signature.Param(nil), ps...)
	for i := range out {
		if out[i].Name == name {
			out[i].Value = value
			return out
		}
	}
	return append(out, signature.Param{Name: name, Value: value})
}

// drop returns ps without name.
func drop(ps []signature.Param, name string) []signature.Param {
	out := make([]signature.Param, 0, len(ps))
	for _, p := range ps {
		if p.Name != name {
			out = append(out, p)
		}
	}
	return out
}

// signed builds a request to url carrying params in its Authorization
// header, signed under profile p with the two secrets as a client would
// sign it: the signature covers what the server will extract.
func signed(t testing.TB, p signature.Profile, method, url string, params []signature.Param, consumerSecret, tokenSecret string) *http.Request {
	t.Helper()
	return signedBody(t, p, method, url, "", "", params, consumerSecret, tokenSecret)
}

func signedBody(t testing.TB, p signature.Profile, method, url, contentType, body string, params []signature.Param, consumerSecret, tokenSecret string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, url, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("Authorization", signature.AuthorizationHeader(params))
	req, err := signature.ReadRequest(r, "")
	if err != nil {
		t.Fatal(err)
	}
	extracted, err := p.Params(req)
	if err != nil {
		t.Fatalf("Params: %v", err)
	}
	base, err := p.BaseString(req.Method, req.URL, extracted)
	if err != nil {
		t.Fatalf("BaseString: %v", err)
	}
	var method256 string
	if i := slices.IndexFunc(params, func(x signature.Param) bool { return x.Name == signature.ParamSignatureMethod }); i >= 0 {
		method256 = params[i].Value
	}
	if !signature.RFC5849.Supports(method256) {
		method256 = signature.HMACSHA256
	}
	sig, err := signature.RFC5849.Sign(method256, base, consumerSecret, tokenSecret)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", signature.AuthorizationHeader(append(params[:len(params):len(params)], signature.Param{Name: signature.ParamSignature, Value: sig})))
	return r
}

// serve runs h on r and returns the status and the body.
func serve(h http.Handler, r *http.Request) (int, string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// problem is the body of a token endpoint's failure for msg.
func problem(msg string) string {
	return "oauth_problem=" + strings.NewReplacer(" ", "+", `"`, "%22", ",", "%2C", "'", "%27").Replace(msg)
}

const (
	requestURL = "http://shop.example.com/oauth/token/request"
	accessURL  = "http://shop.example.com/oauth/token/access"
	restURL    = "http://shop.example.com/rest/V1/store/storeViews"
)

// requestToken completes the request-token step for the fixture's
// consumer.
func (f *fixture) requestToken() oauth.Token {
	f.t.Helper()
	r := signed(f.t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(f.consumer, "", ""), f.consumer.Secret, "")
	tok, err := f.provider.RequestToken(context.Background(), r)
	if err != nil {
		f.t.Fatalf("RequestToken = %v", err)
	}
	return tok
}

// accessToken completes both steps for the fixture's consumer.
func (f *fixture) accessToken() oauth.Token {
	f.t.Helper()
	rt := f.requestToken()
	r := signed(f.t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier), f.consumer.Secret, rt.Secret)
	tok, err := f.provider.AccessToken(context.Background(), r)
	if err != nil {
		f.t.Fatalf("AccessToken = %v", err)
	}
	return tok
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return fmt.Sprint(err)
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
