package bench

import (
	"context"
	"crypto"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	mrjones "github.com/mrjones/oauth"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/user"
)

// peerURL is a signed REST read whose query every verifier reads the same
// way: mrjones/oauth joins repeated names and does not encode names, so a
// name with brackets (searchCriteria[pageSize]) signs differently there.
const peerURL = "http://shop.example.com/rest/V1/products?fields=sku%2Cname&pageSize=20"

const (
	consumerKey    = "y792n13cvb75be6pkw7zhetznhj28bzf"
	consumerSecret = "sphwnjuicgswx1g2adhwd8k53dg008va"
	tokenSecret    = "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p"
	ring           = 1 << 14 // pre-signed requests, each with a nonce of its own
)

var epoch = time.Unix(1718000000, 0)

// header signs peerURL with nonce n, keyed with the consumer secret and
// tokenSecret.
func header(tb testing.TB, token, tokenSecret string, n int) string {
	tb.Helper()
	params := []signature.Param{
		{Name: signature.ParamConsumerKey, Value: consumerKey},
		{Name: signature.ParamNonce, Value: "peer" + strconv.Itoa(n)},
		{Name: signature.ParamSignatureMethod, Value: signature.HMACSHA256},
		{Name: signature.ParamTimestamp, Value: strconv.FormatInt(epoch.Unix(), 10)},
		{Name: signature.ParamToken, Value: token},
		{Name: signature.ParamVersion, Value: "1.0"},
	}
	all, err := signature.Magento247.Params(signature.Request{Method: http.MethodGet, URL: peerURL, Authorization: signature.AuthorizationHeader(params)})
	if err != nil {
		tb.Fatal(err)
	}
	base, err := signature.Magento247.BaseString(http.MethodGet, peerURL, all)
	if err != nil {
		tb.Fatal(err)
	}
	sig, err := signature.Magento247.Sign(signature.HMACSHA256, base, consumerSecret, tokenSecret)
	if err != nil {
		tb.Fatal(err)
	}
	return signature.AuthorizationHeader(append(params, signature.Param{Name: signature.ParamSignature, Value: sig}))
}

// verifier verifies r, signed with nonce n.
type verifier func(r *http.Request) error

// magekit returns Verify over a memstore holding the consumer and its
// access token, and the token's value.
func magekit(tb testing.TB) (verifier, string) {
	ctx := tb.Context()
	s, err := memstore.New()
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := oauth.NewCredential(nil)
	if err != nil {
		tb.Fatal(err)
	}
	err = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		c := oauth.Consumer{Name: "Peers", Key: consumerKey, Secret: consumerSecret, CreatedAt: epoch, UpdatedAt: epoch}
		if err := tx.CreateConsumer(ctx, &c); err != nil {
			return err
		}
		return tx.CreateToken(ctx, &oauth.Token{ConsumerID: c.ID, Type: oauth.TokenAccess, Token: tok, Secret: tokenSecret,
			Verifier: tok, CallbackURL: oauth.CallbackOOB, UserType: user.Integration, CreatedAt: epoch})
	})
	if err != nil {
		tb.Fatal(err)
	}
	p := oauth.NewProvider(s, oauth.Config{Now: func() time.Time { return epoch }})
	return func(r *http.Request) error {
		_, err := p.Verify(ctx, r)
		return err
	}, tok
}

// mrjonesProvider returns mrjones/oauth's two-legged provider: it keys the
// HMAC with the consumer secret alone and checks no token and no nonce.
func mrjonesProvider() verifier {
	sp := mrjones.ServiceProvider{SignQueryParams: true, IgnoreTimestamp: true}
	consumer := mrjones.NewCustomConsumer(consumerKey, consumerSecret, crypto.SHA256, sp, nil)
	p := mrjones.NewProvider(func(key string, _ map[string]string) (*mrjones.Consumer, error) {
		return consumer, nil
	})
	return func(r *http.Request) error {
		_, err := p.IsAuthorized(r)
		return err
	}
}

// peers are the verifiers with the token secret their requests are signed
// with.
func peers(tb testing.TB) []struct {
	name, tokenSecret, token string
	verify                   verifier
} {
	mk, tok := magekit(tb)
	nv := &naive{
		consumers: map[string]naiveCred{consumerKey: {secret: consumerSecret, token: tok, tokenSecret: tokenSecret}},
		nonces:    map[string]struct{}{},
	}
	return []struct {
		name, tokenSecret, token string
		verify                   verifier
	}{
		{"magekit", tokenSecret, tok, mk},
		{"mrjones", "", tok, mrjonesProvider()},
		{"naive", tokenSecret, tok, nv.verify},
	}
}

// TestPeersAgree checks that every verifier accepts its signed request and
// rejects it with one byte of the signature changed, so that the benchmark
// times verifications that succeed.
func TestPeersAgree(t *testing.T) {
	for i, p := range peers(t) {
		h := header(t, p.token, p.tokenSecret, i)
		r := httptest.NewRequest(http.MethodGet, peerURL, nil)
		r.Header.Set("Authorization", h)
		if err := p.verify(r); err != nil {
			t.Fatalf("%s rejects its request: %v", p.name, err)
		}
		bad := httptest.NewRequest(http.MethodGet, peerURL, nil)
		bad.Header.Set("Authorization", strings.Replace(header(t, p.token, p.tokenSecret, i+100), `oauth_signature="`, `oauth_signature="A`, 1))
		if err := p.verify(bad); err == nil {
			t.Fatalf("%s accepts a changed signature", p.name)
		}
	}
}

// BenchmarkPeers verifies the same signed GET with each verifier, a fresh
// nonce each time, and reports each one's time as a multiple of magekit's
// in the same run (x-magekit).
func BenchmarkPeers(b *testing.B) {
	var magekitNs float64
	// -count runs each sub-benchmark again with the same verifiers: every
	// run numbers its nonces from a range of its own.
	serial := 0
	for _, p := range peers(b) {
		b.Run(p.name, func(b *testing.B) {
			offset := serial
			serial += 1 << 40
			headers := make([]string, ring)
			sign := func(from int) {
				for i := range headers {
					headers[i] = header(b, p.token, p.tokenSecret, offset+from+i)
				}
			}
			sign(0)
			r := httptest.NewRequest(http.MethodGet, peerURL, nil)
			r.Header.Set("Authorization", headers[0])
			auth := r.Header["Authorization"]
			u := *r.URL
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i > 0 && i%ring == 0 {
					b.StopTimer()
					sign(i)
					b.StartTimer()
				}
				auth[0] = headers[i%ring]
				*r.URL = u // mrjones makes the URL absolute in place
				i++
				if err := p.verify(r); err != nil {
					b.Fatalf("%s: %v", p.name, err)
				}
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(i)
			if p.name == "magekit" {
				magekitNs = ns
			}
			if magekitNs > 0 {
				b.ReportMetric(ns/magekitNs, "x-magekit")
			}
		})
	}
}
