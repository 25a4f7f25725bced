package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
)

// syncBuffer is a log sink shared by the store side's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// magento wires the real packages into a minimal store: the two token
// endpoints and one signed route that answers only for an Active
// integration, as Magento's OAuth user context does (docs/magento-behaviour.md §7.3).
type magento struct {
	srv *httptest.Server
	svc *integration.Service
	log *syncBuffer
}

func newMagento(t *testing.T) *magento {
	t.Helper()
	s, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	m := &magento{log: &syncBuffer{}}
	logger := slog.New(slog.NewTextHandler(m.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mux := http.NewServeMux()
	m.srv = httptest.NewServer(mux)
	t.Cleanup(m.srv.Close)
	m.svc = integration.NewService(s, integration.Config{StoreBaseURL: m.srv.URL + "/", Logger: logger})
	p := oauth.NewProvider(s, oauth.Config{OnAccess: m.svc.OnAccess, Logger: logger})
	mux.Handle("/oauth/token/request", p.RequestTokenHandler())
	mux.Handle("/oauth/token/access", p.AccessTokenHandler())
	mux.Handle("GET /rest/V1/store/storeConfigs", p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, ok := oauth.IdentityFromContext(r.Context())
		if ok {
			in, _, err := m.svc.Identity(r.Context(), g.ConsumerID)
			if err == nil && in.Status == integration.StatusActive {
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode([]map[string]any{{"id": 1, "code": "default", "integration_id": in.ID}})
				return
			}
		}
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{"message": "The consumer isn't authorized to access %resources.",
			"parameters": map[string]string{"resources": "Magento_Backend::store"}})
	})))
	return m
}

func TestHandshakeEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	m := newMagento(t)
	app := NewApp()
	endpoint := httptest.NewServer(app)
	defer endpoint.Close()

	in, err := m.svc.Create(ctx, integration.Integration{Name: "ThirdParty", Endpoint: endpoint.URL + "/",
		IdentityLinkURL: "https://thirdparty.example/link", Resources: []string{"Magento_Backend::store"}})
	if err != nil {
		t.Fatal(err)
	}
	act, err := m.svc.Activate(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	post, err := app.WaitPost(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if post.ConsumerKey != act.ConsumerKey || post.StoreBaseURL != m.srv.URL+"/" {
		t.Fatalf("credential post = key %q store %q, want key %q store %q", post.ConsumerKey, post.StoreBaseURL, act.ConsumerKey, m.srv.URL+"/")
	}
	if got, _ := m.svc.Get(ctx, in.ID); got.Status != integration.StatusInactive {
		t.Fatalf("status before the exchange = %v, want Inactive", got.Status)
	}
	if err := app.Complete(post); err != nil {
		t.Fatal(err)
	}
	if got, _ := m.svc.Get(ctx, in.ID); got.Status != integration.StatusActive {
		t.Fatalf("status after the exchange = %v, want Active", got.Status)
	}
	storeConfigs := m.srv.URL + "/rest/V1/store/storeConfigs"
	if status, body, err := app.Get(ctx, storeConfigs); err != nil || status != http.StatusOK {
		t.Fatalf("signed GET = %d %s, %v; want 200", status, body, err)
	}

	// A request token can be obtained only once per activation.
	again := &oauth1.Config{ConsumerKey: post.ConsumerKey, ConsumerSecret: post.ConsumerSecret, CallbackURL: "oob",
		Endpoint: oauth1.Endpoint{RequestTokenURL: m.srv.URL + "/oauth/token/request"},
		Signer:   &oauth1.HMAC256Signer{ConsumerSecret: post.ConsumerSecret}}
	_, _, err = again.RequestToken()
	const notVerifier = "oauth_problem=Cannot+create+request+token+because+consumer+token+is+not+a+verifier+token"
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), notVerifier) {
		t.Fatalf("second RequestToken = %v, want 401 %s", err, notVerifier)
	}

	// Reauthorize: the old access token stops working, a new handshake works.
	oldClient, _ := app.Client(ctx)
	if _, err := m.svc.Reauthorize(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	post2, err := app.WaitPost(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if post2.ConsumerKey != post.ConsumerKey || post2.Verifier == post.Verifier {
		t.Fatalf("reauthorize post: same key %v, new verifier %v", post2.ConsumerKey == post.ConsumerKey, post2.Verifier != post.Verifier)
	}
	resp, err := oldClient.Get(storeConfigs)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old access token after reauthorize: %d, want 401", resp.StatusCode)
	}
	if err := app.Complete(post2); err != nil {
		t.Fatal(err)
	}
	if status, body, err := app.Get(ctx, storeConfigs); err != nil || status != http.StatusOK {
		t.Fatalf("signed GET after reauthorize = %d %s, %v; want 200", status, body, err)
	}

	// Delete: everything stops working.
	newClient, _ := app.Client(ctx)
	if _, err := m.svc.Delete(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	resp, err = newClient.Get(storeConfigs)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Message string }
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || body.Message != "A consumer having the specified key does not exist" {
		t.Fatalf("signed GET after delete = %d %q, want 401 unknown consumer", resp.StatusCode, body.Message)
	}
	if _, err := m.svc.Get(ctx, in.ID); err == nil {
		t.Fatal("integration still readable after delete")
	}

	// No secret ever reached the logs.
	logs := m.log.String()
	if logs == "" {
		t.Fatal("no log output captured")
	}
	app.mu.Lock()
	accessSecret := app.token.TokenSecret
	app.mu.Unlock()
	for name, secret := range map[string]string{
		"consumer secret": post.ConsumerSecret, "verifier": post.Verifier, "second verifier": post2.Verifier,
		"access token secret": accessSecret,
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the %s appears in the logs", name)
		}
	}
}

func TestEndpointRejectsIncompletePost(t *testing.T) {
	app := NewApp()
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("oauth_consumer_key=k")))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("incomplete post: %d, want 400", rec.Code)
	}
	if _, err := app.Client(t.Context()); err == nil {
		t.Fatal("Client before Complete succeeded")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, err := app.WaitPost(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitPost = %v, want deadline exceeded", err)
	}
}
