package webapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/webapi"
)

const (
	benchTarget = "/rest/V1/products?searchCriteria[filterGroups][0][filters][0][field]=sku" +
		"&searchCriteria[filterGroups][0][filters][0][value]=24-MB01" +
		"&searchCriteria[filterGroups][0][filters][0][conditionType]=eq" +
		"&searchCriteria[pageSize]=20"
	benchRing = 4096 // request objects, reused with fresh Authorization headers
)

var benchBody = json.RawMessage(`{"items":[{"id":1,"sku":"24-MB01","name":"Joust Duffle Bag","price":34}],"search_criteria":{"page_size":20},"total_count":1}`)

// capture is a transport that keeps the Authorization header dghubble
// signed instead of sending the request.
type capture struct{ header string }

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	c.header = r.Header.Get("Authorization")
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
}

// signer signs GET benchTarget as integration 1 with dghubble/oauth1, a
// fresh nonce each time.
func signer(b *testing.B) func() []string {
	c := creds(1)
	cfg := &oauth1.Config{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret, Signer: &oauth1.HMAC256Signer{ConsumerSecret: c.ConsumerSecret}}
	cp := new(capture)
	client := cfg.Client(context.WithValue(b.Context(), oauth1.HTTPClient, &http.Client{Transport: cp}), oauth1.NewToken(c.AccessToken, c.AccessTokenSecret))
	return func() []string {
		req, err := http.NewRequest("GET", "http://example.com"+benchTarget, nil)
		if err != nil {
			b.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		return []string{cp.header}
	}
}

// BenchmarkSignedGET serves an OAuth-signed GET /rest/V1/products with four
// query parameters and a fixture through the whole Server (routing, OAuth
// verification with a fresh nonce, identity, ACL, fixture) in "signed", and
// a bare handler that only writes the same fixture in "bare", over the same
// requests and httptest.ResponseRecorder. "signed" reports x-bare, its
// time per operation divided by bare's; "verify" measures the part of
// oauth.Provider.Verify and integration.Service.Identity alone, "routed"
// the Server without them (the route opened to guests).
func BenchmarkSignedGET(b *testing.B) {
	st, err := memstore.New()
	if err != nil {
		b.Fatal(err)
	}
	cfg := settings.New()
	svc := integration.NewService(st, integration.Config{})
	p := oauth.NewProvider(st, oauth.Config{OnAccess: svc.OnAccess, ConsumerExpiry: cfg.ConsumerExpiration})
	srv, err := webapi.New(webapi.Config{Store: st, Service: svc, Provider: p, Settings: cfg})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateWithCredentials(b.Context(), integration.Integration{Name: "bench", Resources: []string{"Magento_Catalog::products"}}, creds(1)); err != nil {
		b.Fatal(err)
	}
	if err := srv.SetFixture(webapi.Fixture{Method: "GET", URL: "/V1/products", Body: benchBody}); err != nil {
		b.Fatal(err)
	}
	sign := signer(b)
	reqs := make([]*http.Request, benchRing)
	for i := range reqs {
		reqs[i] = httptest.NewRequest("GET", benchTarget, nil)
		reqs[i].Host = "example.com"
	}
	// Check once that the request is authorised and answered the fixture.
	reqs[0].Header["Authorization"] = sign()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, reqs[0])
	if rec.Code != http.StatusOK || rec.Body.String() != string(benchBody) {
		b.Fatalf("signed GET = %d %s", rec.Code, rec.Body)
	}

	var bareNs float64
	b.Run("bare", func(b *testing.B) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{"application/json; charset=utf-8"}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(benchBody)
		})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			h.ServeHTTP(httptest.NewRecorder(), reqs[i%benchRing])
			i++
		}
		bareNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})

	// The Server's own work: the same request, unsigned, with GET
	// /V1/products opened to guests (allow_insecure), so that only routing,
	// the ACL and the fixture remain.
	b.Run("routed", func(b *testing.B) {
		if err := cfg.Set(map[string]string{settings.PathAllowInsecure: "1"}); err != nil {
			b.Fatal(err)
		}
		defer cfg.Reset()
		r := httptest.NewRequest("GET", benchTarget, nil)
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
	})

	// signedLoop runs serve over the requests, each with a fresh signed
	// Authorization header; headers are signed in chunks outside the timer.
	signedLoop := func(b *testing.B, serve func(r *http.Request)) {
		headers := make([][]string, benchRing)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i%benchRing == 0 {
				b.StopTimer()
				for j := range headers {
					headers[j] = sign()
				}
				runtime.GC() // the signer's garbage is not the Server's
				b.StartTimer()
			}
			r := reqs[i%benchRing]
			r.Header["Authorization"] = headers[i%benchRing]
			serve(r)
			i++
		}
	}

	// The share of the OAuth provider and the identity look-up alone.
	b.Run("verify", func(b *testing.B) {
		signedLoop(b, func(r *http.Request) {
			g, err := p.Verify(r.Context(), r)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := svc.Identity(r.Context(), g.ConsumerID); err != nil {
				b.Fatal(err)
			}
		})
	})

	b.Run("signed", func(b *testing.B) {
		signedLoop(b, func(r *http.Request) {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		})
		if bareNs > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/bareNs, "x-bare")
		}
	})
}
