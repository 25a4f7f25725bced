package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/dghubble/oauth1"
)

// CredentialPost is what Magento posts to the integration's endpoint when
// the admin clicks Allow on a token-exchange integration (docs/magento-behaviour.md §5.2.1).
type CredentialPost struct {
	ConsumerKey    string
	ConsumerSecret string
	StoreBaseURL   string
	Verifier       string
}

// App plays the third-party side of a Magento integration: it serves the
// endpoint that receives the credential POST, then completes the OAuth
// handshake with github.com/dghubble/oauth1 and signs REST calls.
type App struct {
	// BadSort signs with dghubble/oauth1's byte-order sort as it is,
	// without the natural order Magento uses (see naturalOrder): calls
	// whose parameter names hold runs of digits then fail, and the
	// emulator's journal names the rule, byte_order_sort.
	BadSort bool

	mu    sync.Mutex
	posts chan CredentialPost
	token *oauth1.Token
	cfg   *oauth1.Config
}

// NewApp returns an App ready to serve its endpoint.
func NewApp() *App {
	return &App{posts: make(chan CredentialPost, 8)}
}

// ServeHTTP is the integration's endpoint ("Callback URL"): it records the
// credential POST and answers 200. Magento ignores the answer. Below
// [IdentityPath] it serves the identity link page instead.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == IdentityPath {
		a.serveIdentity(w, r)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := CredentialPost{
		ConsumerKey:    r.PostForm.Get("oauth_consumer_key"),
		ConsumerSecret: r.PostForm.Get("oauth_consumer_secret"),
		StoreBaseURL:   r.PostForm.Get("store_base_url"),
		Verifier:       r.PostForm.Get("oauth_verifier"),
	}
	if p.ConsumerKey == "" || p.ConsumerSecret == "" || p.StoreBaseURL == "" || p.Verifier == "" {
		http.Error(w, "missing field", http.StatusBadRequest)
		return
	}
	select {
	case a.posts <- p:
	default: // nobody is waiting; keep serving
	}
	w.WriteHeader(http.StatusOK)
}

// WaitPost returns the next credential POST the endpoint received.
func (a *App) WaitPost(ctx context.Context) (CredentialPost, error) {
	select {
	case p := <-a.posts:
		return p, nil
	case <-ctx.Done():
		return CredentialPost{}, fmt.Errorf("thirdparty: waiting for the credential post: %w", ctx.Err())
	}
}

// Complete exchanges the verifier of p for a request token and then an
// access token at p.StoreBaseURL (docs/magento-behaviour.md §5.2 steps 7–8), signing with
// HMAC-SHA256 as Magento 2.4.4+ requires.
func (a *App) Complete(p CredentialPost) error {
	base := strings.TrimRight(p.StoreBaseURL, "/") + "/"
	cfg := &oauth1.Config{
		ConsumerKey:    p.ConsumerKey,
		ConsumerSecret: p.ConsumerSecret,
		CallbackURL:    "oob",
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: base + "oauth/token/request",
			AccessTokenURL:  base + "oauth/token/access",
		},
		Signer: a.signer(p.ConsumerSecret),
	}
	// Magento never sends oauth_callback_confirmed=true, which dghubble's
	// RequestToken insists on (RFC 5849 §2.1): add it on the way in.
	cfg.HTTPClient = &http.Client{Transport: confirmCallback{base: http.DefaultTransport, url: cfg.Endpoint.RequestTokenURL}}
	requestToken, requestSecret, err := cfg.RequestToken()
	if err != nil {
		return fmt.Errorf("thirdparty: request token: %w", err)
	}
	accessToken, accessSecret, err := cfg.AccessToken(requestToken, requestSecret, p.Verifier)
	if err != nil {
		return fmt.Errorf("thirdparty: access token: %w", err)
	}
	a.mu.Lock()
	a.cfg, a.token = cfg, oauth1.NewToken(accessToken, accessSecret)
	a.mu.Unlock()
	return nil
}

// signer is HMAC-SHA256 over Magento's natural parameter order, or over
// byte order with BadSort.
func (a *App) signer(consumerSecret string) oauth1.Signer {
	s := &oauth1.HMAC256Signer{ConsumerSecret: consumerSecret}
	if a.BadSort {
		return s
	}
	return naturalOrder{s}
}

// Client returns an HTTP client that signs every request with the access
// token, or an error before Complete succeeded.
func (a *App) Client(ctx context.Context) (*http.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token == nil {
		return nil, errors.New("thirdparty: no access token yet")
	}
	return a.cfg.Client(ctx, a.token), nil
}

// Get makes a signed GET of rawURL and returns the status and body.
func (a *App) Get(ctx context.Context, rawURL string) (int, []byte, error) {
	c, err := a.Client(ctx)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body, err
}

// confirmCallback appends oauth_callback_confirmed=true to a successful
// answer of the request-token URL.
type confirmCallback struct {
	base http.RoundTripper
	url  string
}

func (c confirmCallback) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK || !sameEndpoint(r.URL, c.url) {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = append(body, "&oauth_callback_confirmed=true"...)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

func sameEndpoint(u *url.URL, endpoint string) bool {
	e, err := url.Parse(endpoint)
	return err == nil && u.Host == e.Host && u.Path == e.Path
}
