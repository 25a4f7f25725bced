package integration_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
)

// endpoint is a third party's endpoint that records credential POSTs.
type endpoint struct {
	mu    sync.Mutex
	posts []url.Values
	agent []string
	srv   *httptest.Server
}

func newEndpoint(t *testing.T, status int) *endpoint {
	t.Helper()
	e := &endpoint{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("credential post: method %s, content type %q, body %q", r.Method, r.Header.Get("Content-Type"), body)
		}
		e.mu.Lock()
		e.posts = append(e.posts, form)
		e.agent = append(e.agent, r.UserAgent())
		e.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// count returns how many credential POSTs arrived.
func (e *endpoint) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.posts)
}

func (e *endpoint) last(t *testing.T) url.Values {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.posts) == 0 {
		t.Fatal("no credential post received")
	}
	return e.posts[len(e.posts)-1]
}

func TestActivateDirect(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	// Only an endpoint: Magento takes the direct path (docs/magento-behaviour.md §5.1).
	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: "https://erp.example/cb", AllResources: true})
	if err != nil {
		t.Fatal(err)
	}
	act, err := svc.Activate(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if act.TokenExchange || act.Integration.Status != integration.StatusActive {
		t.Fatalf("Activate = exchange %v status %v, want direct Active", act.TokenExchange, act.Integration.Status)
	}
	for name, v := range map[string]string{"consumer key": act.Credentials.ConsumerKey, "consumer secret": act.Credentials.ConsumerSecret,
		"access token": act.Credentials.AccessToken, "access token secret": act.Credentials.AccessTokenSecret} {
		if !oauth.ValidCredential(v) {
			t.Errorf("%s %q is not 32 characters of [0-9a-z]", name, v)
		}
	}
	tok, err := s.TokenByValue(ctx, act.Credentials.AccessToken)
	if err != nil || tok.Type != oauth.TokenAccess || tok.ConsumerID != in.ConsumerID {
		t.Fatalf("token row = %+v, %v", tok, err)
	}
	// Activating an Active integration reauthorizes it: the grid sends
	// reauthorize=1 whenever the status is not 0 (docs/magento-behaviour.md §5.1), so
	// createAccessToken clears the row and issues new tokens.
	again, err := svc.Activate(ctx, in.ID)
	if err != nil || again.Credentials.ConsumerKey != act.Credentials.ConsumerKey || again.Credentials.AccessToken == act.Credentials.AccessToken {
		t.Fatalf("second Activate = %+v, %v; want new tokens for the same consumer", again.Credentials, err)
	}
	act = again
	// Reauthorize: new access token, same consumer.
	re, err := svc.Reauthorize(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if re.Credentials.ConsumerKey != act.Credentials.ConsumerKey || re.Credentials.AccessToken == act.Credentials.AccessToken {
		t.Fatalf("Reauthorize kept token %v / changed consumer %v", re.Credentials.AccessToken == act.Credentials.AccessToken,
			re.Credentials.ConsumerKey != act.Credentials.ConsumerKey)
	}
	if _, err := s.TokenByValue(ctx, act.Credentials.AccessToken); err == nil {
		t.Fatal("old access token still exists after Reauthorize")
	}
	got, err := svc.Credentials(ctx, in.ID)
	if err != nil || got != re.Credentials {
		t.Fatalf("Credentials = %+v, %v; want %+v", got, err, re.Credentials)
	}
}

func TestActivateTokenExchange(t *testing.T) {
	ep := newEndpoint(t, http.StatusInternalServerError) // any answer counts as success
	svc, s := newService(t, integration.Config{StoreBaseURL: "https://shop.example/"})
	ctx := t.Context()
	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: ep.srv.URL + "/endpoint",
		IdentityLinkURL: "https://erp.example/link?x=1", Resources: []string{"Magento_Catalog::products"}})
	if err != nil {
		t.Fatal(err)
	}
	act, err := svc.Activate(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Consumer(ctx, in.ConsumerID)
	form := ep.last(t)
	tok, _ := s.TokenByConsumer(ctx, in.ConsumerID)
	want := url.Values{
		"oauth_consumer_key":    {c.Key},
		"oauth_consumer_secret": {c.Secret},
		"store_base_url":        {"https://shop.example/"},
		"oauth_verifier":        {tok.Verifier},
	}
	if form.Encode() != want.Encode() {
		t.Fatalf("credential post = %v, want %v", form, want)
	}
	if ep.agent[0] != `Laminas\Http\Client` {
		t.Errorf("User-Agent = %q", ep.agent[0])
	}
	wantLink := "https://erp.example/link?x=1?oauth_consumer_key=" + c.Key +
		"&success_call_back=https%3A%2F%2Fshop.example%2Fadmin%2Fadmin%2Fintegration%2FloginSuccessCallback%2F"
	if !act.TokenExchange || act.IdentityLinkURL != wantLink || act.ConsumerKey != c.Key {
		t.Fatalf("Activate = %+v, want identity link %q", act, wantLink)
	}
	if got, _ := svc.Get(ctx, in.ID); got.Status != integration.StatusInactive {
		t.Fatalf("status after exchange-path Activate = %v, want Inactive", got.Status)
	}
	if !c.UpdatedAt.Equal(fixedNow) {
		t.Fatalf("consumer UpdatedAt = %v, want the activation time", c.UpdatedAt)
	}
	// The verifier is reused by a second Activate.
	if _, err := svc.Activate(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if again := ep.last(t); again.Get("oauth_verifier") != tok.Verifier {
		t.Fatalf("second Activate posted verifier %q, want the reused %q", again.Get("oauth_verifier"), tok.Verifier)
	}
	// The third party completes the exchange: OnAccess makes it Active.
	if _, err := oauth.IssueRequestToken(ctx, s, in.ConsumerID, nil); err != nil {
		t.Fatal(err)
	}
	err = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		if _, err := oauth.IssueAccessToken(ctx, tx, in.ConsumerID, nil); err != nil {
			return err
		}
		return svc.OnAccess(ctx, tx, in.ConsumerID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Get(ctx, in.ID); got.Status != integration.StatusActive {
		t.Fatalf("status after access = %v, want Active", got.Status)
	}
	// Reauthorize on the exchange path: token row gone, Inactive, new verifier posted.
	if _, err := svc.Reauthorize(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Get(ctx, in.ID); got.Status != integration.StatusInactive {
		t.Fatalf("status after Reauthorize = %v, want Inactive", got.Status)
	}
	tok2, _ := s.TokenByConsumer(ctx, in.ConsumerID)
	if tok2.Type != oauth.TokenVerifier || tok2.Verifier == tok.Verifier || ep.last(t).Get("oauth_verifier") != tok2.Verifier {
		t.Fatalf("after Reauthorize: row %s, verifier reused %v", tok2.Type, tok2.Verifier == tok.Verifier)
	}

	// Activate on an Active integration is a reauthorization (the grid
	// sends reauthorize=1 for any status but 0, docs/magento-behaviour.md §5.1): the access
	// token goes, the status drops to Inactive and a new verifier is
	// posted, so the third party can run the exchange again.
	if _, err := oauth.IssueRequestToken(ctx, s, in.ConsumerID, nil); err != nil {
		t.Fatal(err)
	}
	var access oauth.Token
	err = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		var err error
		if access, err = oauth.IssueAccessToken(ctx, tx, in.ConsumerID, nil); err != nil {
			return err
		}
		return svc.OnAccess(ctx, tx, in.ConsumerID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Activate(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Get(ctx, in.ID); got.Status != integration.StatusInactive {
		t.Fatalf("status after Activate of an Active integration = %v, want Inactive", got.Status)
	}
	tok3, _ := s.TokenByConsumer(ctx, in.ConsumerID)
	if _, err := s.TokenByValue(ctx, access.Token); err == nil || tok3.Type != oauth.TokenVerifier || ep.last(t).Get("oauth_verifier") != tok3.Verifier {
		t.Fatalf("after Activate of an Active integration: old access token kept %v, row %s", err == nil, tok3.Type)
	}
	if _, err := oauth.IssueRequestToken(ctx, s, in.ConsumerID, nil); err != nil {
		t.Fatalf("request token after Activate of an Active integration: %v", err)
	}
}

// TestActivateReset checks that an integration Reset by provisioning
// (status 2) is activated as a reauthorization: on the exchange path its
// status becomes Inactive until the third party completes the exchange.
func TestActivateReset(t *testing.T) {
	ep := newEndpoint(t, http.StatusOK)
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: ep.srv.URL, IdentityLinkURL: "https://erp.example/link"})
	if err != nil {
		t.Fatal(err)
	}
	in.Status = integration.StatusReset
	if err := s.UpdateIntegration(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Activate(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Get(ctx, in.ID); got.Status != integration.StatusInactive {
		t.Fatalf("status after Activate of a Reset integration = %v, want Inactive", got.Status)
	}
	if tok, err := s.TokenByConsumer(ctx, in.ConsumerID); err != nil || tok.Type != oauth.TokenVerifier || ep.last(t).Get("oauth_verifier") != tok.Verifier {
		t.Fatalf("token row after Activate of a Reset integration = %+v, %v; want the posted verifier", tok, err)
	}
}

func TestCredentialPostFailure(t *testing.T) {
	// An endpoint that accepts the connection and never answers.
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	t.Cleanup(func() { close(hang); slow.Close() })
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()

	for name, ep := range map[string]string{"timeout": slow.URL, "refused": deadURL} {
		t.Run(name, func(t *testing.T) {
			svc, s := newService(t, integration.Config{PostTimeout: func() time.Duration { return 200 * time.Millisecond }})
			ctx := t.Context()
			in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: ep, IdentityLinkURL: "https://erp.example/link"})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = svc.Activate(ctx, in.ID)
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("Activate took %v with a 200ms post timeout", d)
			}
			me := wantIs(t, err, integration.ErrPostFailed)
			c, _ := s.Consumer(ctx, in.ConsumerID)
			if strings.Contains(me.Error(), c.Secret) || strings.Contains(err.Error(), c.Secret) {
				t.Fatal("error text contains the consumer secret")
			}
			if cause := me.Unwrap(); cause == nil || strings.Contains(cause.Error(), c.Secret) {
				t.Fatalf("cause = %v", cause)
			}
			if got, _ := svc.Get(ctx, in.ID); got.Status != integration.StatusInactive {
				t.Fatalf("status = %v, want Inactive", got.Status)
			}
			// What Magento saves before it posts stays: the consumer's
			// expiry window has started and the verifier exists, so a
			// retry posts the same verifier.
			if !c.UpdatedAt.Equal(fixedNow) {
				t.Errorf("consumer UpdatedAt = %v, want the activation time %v", c.UpdatedAt, fixedNow)
			}
			if tok, err := s.TokenByConsumer(ctx, in.ConsumerID); err != nil || tok.Type != oauth.TokenVerifier {
				t.Errorf("token row after a failed post = %+v, %v; want the verifier", tok, err)
			}
		})
	}
}

func TestIdentityLink(t *testing.T) {
	got := integration.IdentityLink("https://a.example/link", "k", "https://shop.example/admin/cb?a=b c&d=*!")
	want := "https://a.example/link?oauth_consumer_key=k&success_call_back=https%3A%2F%2Fshop.example%2Fadmin%2Fcb%3Fa%3Db+c%26d%3D*!"
	if got != want {
		t.Fatalf("IdentityLink = %q, want %q", got, want)
	}
}

// TestCredentialPostFailureLogsNoPassword checks that a failed credential
// POST to an endpoint with a password in its URL logs neither that
// password nor the consumer secret.
func TestCredentialPostFailureLogsNoPassword(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	host := dead.Listener.Addr().String()
	dead.Close()
	var logs bytes.Buffer
	svc, s := newService(t, integration.Config{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ctx := t.Context()
	const password = "endpoint-password-42"
	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: "http://erp:" + password + "@" + host + "/cb", IdentityLinkURL: "https://erp.example/link"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Activate(ctx, in.ID)
	wantIs(t, err, integration.ErrPostFailed)
	c, _ := s.Consumer(ctx, in.ConsumerID)
	if !strings.Contains(logs.String(), "credential post failed") {
		t.Fatalf("no log record of the failure: %s", logs.String())
	}
	for _, secret := range []string{password, c.Secret} {
		if strings.Contains(logs.String(), secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("the log or the error holds %q: %s / %v", secret, logs.String(), err)
		}
	}
}

// TestCredentialPostRedirects checks oauth/consumer/post_maxredirects: by
// default (0) a redirect answer is the answer and is not followed; with 1
// the POST follows one redirect. Either way the activation succeeds.
func TestCredentialPostRedirects(t *testing.T) {
	var hits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(target.Close)
	redirect := httptest.NewServer(http.RedirectHandler(target.URL+"/moved", http.StatusFound))
	t.Cleanup(redirect.Close)

	for _, tc := range []struct {
		max      int
		wantHits int32
	}{{0, 0}, {1, 1}} {
		hits.Store(0)
		svc, _ := newService(t, integration.Config{PostMaxRedirects: func() int { return tc.max }})
		ctx := t.Context()
		in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: redirect.URL, IdentityLinkURL: "https://erp.example/link"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Activate(ctx, in.ID); err != nil {
			t.Errorf("post_maxredirects %d: Activate = %v, want success", tc.max, err)
		}
		if got := hits.Load(); got != tc.wantHits {
			t.Errorf("post_maxredirects %d: the redirect target got %d requests, want %d", tc.max, got, tc.wantHits)
		}
	}
}

// racingStore runs before (once) just before the first transaction: an
// update that lands between Activate's read and its transaction.
type racingStore struct {
	*memstore.Store
	before func()
}

func (r *racingStore) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	if f := r.before; f != nil {
		r.before = nil
		f()
	}
	return r.Store.Atomic(ctx, fn)
}

// TestActivatePathDecidedInTransaction clears the endpoint of a
// token-exchange integration between Activate's first read and its
// transaction: the activation takes the direct path the transaction sees,
// and no credential POST goes out.
func TestActivatePathDecidedInTransaction(t *testing.T) {
	ep := newEndpoint(t, http.StatusOK)
	ms, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	rs := &racingStore{Store: ms}
	svc := integration.NewService(rs, integration.Config{Now: func() time.Time { return fixedNow }})
	ctx := t.Context()
	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Endpoint: ep.srv.URL, IdentityLinkURL: "https://erp.example/link", AllResources: true})
	if err != nil {
		t.Fatal(err)
	}
	rs.before = func() {
		cleared := in
		cleared.Endpoint, cleared.IdentityLinkURL = "", ""
		if err := ms.UpdateIntegration(ctx, cleared); err != nil {
			t.Fatal(err)
		}
	}
	act, err := svc.Activate(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if act.TokenExchange || act.Integration.Status != integration.StatusActive || act.Credentials.AccessToken == "" {
		t.Errorf("Activate = exchange %v, status %v; want the direct path the transaction saw", act.TokenExchange, act.Integration.Status)
	}
	if n := ep.count(); n != 0 {
		t.Errorf("%d credential POSTs sent to the endpoint the integration no longer has", n)
	}
}
