package oauth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
)

// benchURL is a typical signed REST read: products with four
// searchCriteria parameters.
const benchURL = "http://shop.example.com/rest/V1/products" +
	"?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=sku" +
	"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=24-MB%25" +
	"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5BconditionType%5D=like" +
	"&searchCriteria%5BpageSize%5D=20"

const (
	benchConsumers = 10_000
	// benchRing is the number of pre-signed requests, each with a nonce of
	// its own: Verify must see a fresh nonce every time, and signing inside
	// the loop would measure the client too.
	benchRing = 1 << 17
)

type benchCredential struct {
	consumer oauth.Consumer
	token    oauth.Token
}

// benchStore seeds memstore with consumers, each with an access token.
func benchStore(b *testing.B) (*memstore.Store, []benchCredential) {
	b.Helper()
	ctx := context.Background()
	s, err := memstore.New()
	if err != nil {
		b.Fatal(err)
	}
	creds := make([]benchCredential, benchConsumers)
	for i := range creds {
		c := oauth.Consumer{Name: "Integration" + strconv.Itoa(i), Key: mustCredential(b), Secret: mustCredential(b), CreatedAt: epoch, UpdatedAt: epoch}
		if err := s.CreateConsumer(ctx, &c); err != nil {
			b.Fatal(err)
		}
		t := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenAccess, Token: mustCredential(b), Secret: mustCredential(b),
			Verifier: mustCredential(b), CallbackURL: oauth.CallbackOOB, UserType: oauth.UserIntegration, CreatedAt: epoch}
		if err := s.CreateToken(ctx, &t); err != nil {
			b.Fatal(err)
		}
		creds[i] = benchCredential{c, t}
	}
	return s, creds
}

// benchHeader signs benchURL for credential c with nonce n.
func benchHeader(b *testing.B, c benchCredential, n int) string {
	params := []oauth.Param{
		{Name: oauth.ParamConsumerKey, Value: c.consumer.Key},
		{Name: oauth.ParamNonce, Value: "bench" + strconv.Itoa(n)},
		{Name: oauth.ParamSignatureMethod, Value: oauth.HMACSHA256},
		{Name: oauth.ParamTimestamp, Value: strconv.FormatInt(epoch.Unix(), 10)},
		{Name: oauth.ParamToken, Value: c.token.Token},
		{Name: oauth.ParamVersion, Value: "1.0"},
	}
	r := signed(b, oauth.Magento247, http.MethodGet, benchURL, params, c.consumer.Secret, c.token.Secret)
	return r.Header.Get("Authorization")
}

// BenchmarkVerify verifies a signed GET against memstore holding 10,000
// consumers and access tokens, each iteration with a fresh nonce. It also
// reports its ratio to BenchmarkHMACFloor's work, measured in the same
// process.
func BenchmarkVerify(b *testing.B) {
	s, creds := benchStore(b)
	p := oauth.NewProvider(s, oauth.Config{Now: func() time.Time { return epoch }})
	ring := make([]string, benchRing)
	for i := range ring {
		ring[i] = benchHeader(b, creds[i%len(creds)], i)
	}
	r := httptest.NewRequest(http.MethodGet, benchURL, nil)
	r.Header.Set("Authorization", ring[0])
	auth := r.Header["Authorization"]
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i < len(ring) {
			auth[0] = ring[i]
		} else {
			// Past the ring, sign here: the figures then include a client.
			auth[0] = benchHeader(b, creds[i%len(creds)], i)
		}
		i++
		if _, err := p.Verify(ctx, r); err != nil {
			b.Fatalf("Verify = %v", err)
		}
	}
	if i > len(ring) {
		b.Logf("%d iterations exceed the ring of %d: run with -benchtime=%dx or less for clean figures", i, len(ring), len(ring))
	}
	verify := float64(b.Elapsed().Nanoseconds()) / float64(i)
	// testing.Benchmark cannot run inside a benchmark (they share a lock),
	// so the floor is timed by hand here, the same work as BenchmarkHMACFloor.
	msg, mac := floorWork(b)
	var sum [sha256.Size]byte
	const floorRuns = 200_000
	start := time.Now()
	for range floorRuns {
		mac.Reset()
		mac.Write(msg)
		mac.Sum(sum[:0])
	}
	floor := float64(time.Since(start).Nanoseconds()) / floorRuns
	b.ReportMetric(verify/floor, "x-hmac-floor")
}

// BenchmarkHMACFloor is the least Verify must do: the HMAC-SHA256 of the
// same base string with the same kind of key.
func BenchmarkHMACFloor(b *testing.B) {
	msg, mac := floorWork(b)
	var sum [sha256.Size]byte
	b.ReportAllocs()
	for b.Loop() {
		mac.Reset()
		mac.Write(msg)
		mac.Sum(sum[:0])
	}
}

// floorWork returns the base string of a benchmark request and an HMAC
// keyed as Verify keys it.
func floorWork(b *testing.B) ([]byte, hash.Hash) {
	params := []oauth.Param{
		{Name: oauth.ParamConsumerKey, Value: "y792n13cvb75be6pkw7zhetznhj28bzf"},
		{Name: oauth.ParamNonce, Value: "bench100000"},
		{Name: oauth.ParamSignatureMethod, Value: oauth.HMACSHA256},
		{Name: oauth.ParamTimestamp, Value: strconv.FormatInt(epoch.Unix(), 10)},
		{Name: oauth.ParamToken, Value: "w8pfue5uns73t2ahtgjn204bsrpocn04"},
		{Name: oauth.ParamVersion, Value: "1.0"},
	}
	req := oauth.Request{Method: http.MethodGet, URL: benchURL, Authorization: oauth.AuthorizationHeader(params)}
	all, err := oauth.Magento247.Params(req)
	if err != nil {
		b.Fatal(err)
	}
	base, err := oauth.Magento247.BaseString(req.Method, req.URL, all)
	if err != nil {
		b.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte(oauth.SigningKey("sphwnjuicgswx1g2adhwd8k53dg008va", "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p")))
	return []byte(base), mac
}

// BenchmarkBaseString measures extraction and the base string alone, the
// pure part of Verify.
func BenchmarkBaseString(b *testing.B) {
	req := oauth.Request{Method: http.MethodGet, URL: benchURL, Authorization: `OAuth oauth_consumer_key="y792n13cvb75be6pkw7zhetznhj28bzf", oauth_nonce="n", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1718000000", oauth_token="w8pfue5uns73t2ahtgjn204bsrpocn04", oauth_version="1.0", oauth_signature="DXNARaAwVWoNNzndpidJBx%2BCdfMwLMwfCG9PKSGGprk%3D"`}
	b.ReportAllocs()
	for b.Loop() {
		params, err := oauth.Magento247.Params(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := oauth.Magento247.BaseString(req.Method, req.URL, params); err != nil {
			b.Fatal(err)
		}
	}
}
