package oauth_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/memstore"
)

// confirmCallback is the workaround a dghubble/oauth1 user applies against
// Magento: Config.RequestToken insists on oauth_callback_confirmed=true (RFC
// 5849 §2.1), which Magento never sends, so the client's transport adds it
// to the request-token answer.
type confirmCallback struct{ base http.RoundTripper }

func (c confirmCallback) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasSuffix(r.URL.Path, "/oauth/token/request") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
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

// interopServer serves the token endpoints and one signed route that
// answers with the consumer id of its grant.
func interopServer(t *testing.T, profile signature.Profile) (*httptest.Server, *memstore.Store, *oauth.Provider) {
	t.Helper()
	s, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	p := oauth.NewProvider(s, oauth.Config{Profile: profile})
	mux := http.NewServeMux()
	mux.Handle("/oauth/token/request", p.RequestTokenHandler())
	mux.Handle("/oauth/token/access", p.AccessTokenHandler())
	mux.Handle("/rest/V1/products", p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, ok := oauth.IdentityFromContext(r.Context())
		if !ok {
			http.Error(w, "guest", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "consumer %d", g.ConsumerID)
	})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, s, p
}

// activate creates a consumer and its verifier as Magento's admin does
// when the token exchange starts (docs/magento-behaviour.md §5.2 step 2).
func activate(t *testing.T, s *memstore.Store) (oauth.Consumer, oauth.Token) {
	t.Helper()
	ctx := t.Context()
	c := oauth.Consumer{Name: "Integration1", Key: mustCredential(t), Secret: mustCredential(t), CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.CreateConsumer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	v, err := oauth.IssueVerifier(ctx, s, c.ID, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c, v
}

// TestInteropDghubble runs the whole handshake and a signed GET with an
// independent client, github.com/dghubble/oauth1 and HMAC-SHA256, over
// real HTTP.
func TestInteropDghubble(t *testing.T) {
	for _, tc := range []struct {
		profile    signature.Profile
		workaround bool
	}{
		{signature.Magento247, true}, // Magento sends no oauth_callback_confirmed
		{signature.RFC5849, false},   // the RFC profile does
	} {
		t.Run(tc.profile.String(), func(t *testing.T) {
			srv, s, _ := interopServer(t, tc.profile)
			c, v := activate(t, s)
			transport := http.DefaultTransport
			if tc.workaround {
				transport = confirmCallback{base: transport}
			}
			cfg := &oauth1.Config{
				ConsumerKey:    c.Key,
				ConsumerSecret: c.Secret,
				CallbackURL:    "oob",
				Endpoint: oauth1.Endpoint{
					RequestTokenURL: srv.URL + "/oauth/token/request",
					AccessTokenURL:  srv.URL + "/oauth/token/access",
				},
				Signer:     &oauth1.HMAC256Signer{ConsumerSecret: c.Secret},
				HTTPClient: &http.Client{Transport: transport},
			}
			rt, rs, err := cfg.RequestToken()
			if err != nil {
				t.Fatalf("RequestToken() = %v", err)
			}
			at, as, err := cfg.AccessToken(rt, rs, v.Verifier)
			if err != nil {
				t.Fatalf("AccessToken() = %v", err)
			}
			ctx := context.WithValue(t.Context(), oauth1.HTTPClient, &http.Client{Transport: transport})
			client := cfg.Client(ctx, oauth1.NewToken(at, as))
			resp, err := client.Get(srv.URL + "/rest/V1/products?searchCriteria%5BpageSize%5D=20&searchCriteria%5BcurrentPage%5D=1")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if want := fmt.Sprintf("consumer %d", c.ID); resp.StatusCode != http.StatusOK || string(body) != want {
				t.Errorf("signed GET = %d %q, want 200 %q", resp.StatusCode, body, want)
			}

			// dghubble sorts in byte order; Magento in natural order, so an
			// index of 10 next to 2 signs differently (docs/magento-behaviour.md §9.2).
			resp, err = client.Get(srv.URL + "/rest/V1/products?searchCriteria%5BfilterGroups%5D%5B2%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=sku&searchCriteria%5BfilterGroups%5D%5B10%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=name")
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			wantStatus := http.StatusOK
			if tc.profile != signature.RFC5849 {
				wantStatus = http.StatusUnauthorized
			}
			if resp.StatusCode != wantStatus {
				t.Errorf("signed GET with [2] and [10] = %d %q, want %d", resp.StatusCode, body, wantStatus)
			}
		})
	}
}
