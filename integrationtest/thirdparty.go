package integrationtest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/integration"
)

// credentialPost is what the store posted to the endpoint (docs/magento-behaviour.md §5.2.1).
type credentialPost struct {
	consumerKey, consumerSecret, storeBaseURL, verifier string
}

// linkResult is the outcome of one handshake.
type linkResult struct {
	creds integration.Credentials
	err   error
}

// thirdParty serves the third party's side: the endpoint that receives
// the credential POST, and the identity link page, which completes the
// handshake and sends the browser to success_call_back, as a third party
// does once the store's admin has signed in to it.
func (s *Server) thirdParty() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /endpoint", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		p := credentialPost{
			consumerKey:    r.PostForm.Get("oauth_consumer_key"),
			consumerSecret: r.PostForm.Get("oauth_consumer_secret"),
			storeBaseURL:   r.PostForm.Get("store_base_url"),
			verifier:       r.PostForm.Get("oauth_verifier"),
		}
		if p.consumerKey == "" {
			http.Error(w, "no oauth_consumer_key", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.posts[p.consumerKey] = p
		delete(s.linked, p.consumerKey)
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("GET /identity", func(w http.ResponseWriter, r *http.Request) {
		// Magento appends "?" to the identity link and jQuery-encodes the
		// values (space as '+'), which form decoding reads back.
		q := r.URL.Query()
		if err := s.link(q.Get("oauth_consumer_key")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, q.Get("success_call_back"), http.StatusFound)
	})
	return mux
}

// link completes the handshake for the consumer whose credential POST the
// endpoint received and records the outcome.
func (s *Server) link(consumerKey string) error {
	s.mu.Lock()
	p, ok := s.posts[consumerKey]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("integrationtest: no credential POST for consumer key %q reached %s; create the integration with Endpoint: srv.EndpointURL", consumerKey, s.EndpointURL)
	}
	creds, err := handshake(s.http.Client().Transport, p)
	s.mu.Lock()
	s.linked[consumerKey] = linkResult{creds: creds, err: err}
	s.mu.Unlock()
	return err
}

// handshake exchanges the verifier of p for a request token and then an
// access token at p's store base URL (docs/magento-behaviour.md §5.2 steps 7–8), with
// dghubble/oauth1 and HMAC-SHA256.
func handshake(base http.RoundTripper, p credentialPost) (integration.Credentials, error) {
	root := strings.TrimRight(p.storeBaseURL, "/") + "/"
	cfg := &oauth1.Config{
		ConsumerKey:    p.consumerKey,
		ConsumerSecret: p.consumerSecret,
		CallbackURL:    "oob",
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: root + "oauth/token/request",
			AccessTokenURL:  root + "oauth/token/access",
		},
		Signer: &oauth1.HMAC256Signer{ConsumerSecret: p.consumerSecret},
	}
	// Magento never sends oauth_callback_confirmed=true, which dghubble's
	// RequestToken insists on (RFC 5849 §2.1): add it on the way in.
	cfg.HTTPClient = &http.Client{Transport: ConfirmCallback(base)}
	requestToken, requestSecret, err := cfg.RequestToken()
	if err != nil {
		return integration.Credentials{}, fmt.Errorf("integrationtest: request token: %w", err)
	}
	accessToken, accessSecret, err := cfg.AccessToken(requestToken, requestSecret, p.verifier)
	if err != nil {
		return integration.Credentials{}, fmt.Errorf("integrationtest: access token: %w", err)
	}
	return integration.Credentials{ConsumerKey: p.consumerKey, ConsumerSecret: p.consumerSecret,
		AccessToken: accessToken, AccessTokenSecret: accessSecret}, nil
}
