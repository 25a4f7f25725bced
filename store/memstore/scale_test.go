//go:build scale

package memstore_test

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/user"
)

// scaleMax bounds the sizes BenchmarkScale seeds: 1M integrations take
// minutes and several GiB of heap.
var scaleMax = flag.Int("scale.max", 1_000_000, "largest store BenchmarkScale seeds")

const scaleURL = "http://shop.example.com/rest/V1/products?searchCriteria%5BpageSize%5D=20"

// BenchmarkScale seeds memstore with 10k, 100k and 1M Active integrations,
// each with its consumer, access token and a two-resource grant, in
// transactions of 1,000, and reports the heap each integration takes
// (bytes/integration, after a GC), the seeding rate (integrations/s) and,
// as ns/op, Verify of a signed GET with a fresh nonce at that size. The
// store is seeded once per size (b.Loop runs the function once). "grown"
// starts from memstore.New(), "sized" from memstore.New(Capacity(n)), the
// bulk-load path. Above 10k it also reports, as x-verify-10k, Verify's
// time at that size over its time on a 10k store seeded beside it, timed
// in alternating batches after the loop (the median of 101 rounds' ratios).
// Run it with
//
//	go test -tags scale -run '^$' -bench Scale -benchtime 20000x ./store/memstore/
func BenchmarkScale(b *testing.B) {
	for _, sized := range []bool{false, true} {
		name := "grown"
		if sized {
			name = "sized"
		}
		b.Run(name, func(b *testing.B) {
			for _, n := range []int{10_000, 100_000, 1_000_000} {
				if n > *scaleMax {
					continue
				}
				b.Run(strconv.Itoa(n), func(b *testing.B) { benchScale(b, n, sized) })
			}
		})
	}
}

type scaleCred struct{ key, secret, token, tokenSecret string }

func benchScale(b *testing.B, n int, sized bool) {
	ctx := b.Context()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	s, creds := seedScale(b, n, sized)
	seeding := time.Since(start)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc) - float64(before.HeapAlloc)

	p := scaleProvider(s)
	// Each Verify needs a fresh nonce: headers are signed in rings outside
	// the timer, and the signer's garbage is collected before it restarts.
	ring := make([]string, 1<<14)
	sign := func(from int) {
		for i := range ring {
			ring[i] = scaleHeader(b, creds[(from+i)%len(creds)], from+i)
		}
		runtime.GC()
	}
	sign(0)
	r := httptest.NewRequest(http.MethodGet, scaleURL, nil)
	r.Header.Set("Authorization", ring[0])
	auth := r.Header["Authorization"]
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i > 0 && i%len(ring) == 0 {
			b.StopTimer()
			sign(i)
			b.StartTimer()
		}
		auth[0] = ring[i%len(ring)]
		i++
		if _, err := p.Verify(ctx, r); err != nil {
			b.Fatalf("Verify = %v", err)
		}
	}
	b.StopTimer()
	b.ReportMetric(heap/float64(n), "bytes/integration")
	b.ReportMetric(float64(n)/seeding.Seconds(), "integrations/s")
	b.ReportMetric(heap/(1<<30), "heap-GiB")
	if n > scaleBase {
		small, smallCreds := seedScale(b, scaleBase, sized)
		b.ReportMetric(verifyRatio(b, p, creds, scaleProvider(small), smallCreds), "x-verify-10k")
		runtime.KeepAlive(small)
	}
	runtime.KeepAlive(s)
}

// scaleBase is the size the larger stores' Verify is compared with.
const scaleBase = 10_000

// seedScale returns a store of n Active integrations, seeded 1,000 per
// transaction, and a sample of 1,000 of their credentials to sign with.
func seedScale(b *testing.B, n int, sized bool) (*memstore.Store, []scaleCred) {
	ctx := b.Context()
	var opts []memstore.Option
	if sized {
		opts = append(opts, memstore.Capacity(n))
	}
	s, err := memstore.New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	creds := make([]scaleCred, 0, 1000) // a sample to sign with, not all n
	for done := 0; done < n; {
		err := s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
			ts := tx.(interface {
				CreateIntegration(context.Context, *integration.Integration) error
			})
			for range min(1000, n-done) {
				c := oauth.Consumer{Name: "Integration" + strconv.Itoa(done), Key: benchCredential(b), Secret: benchCredential(b), CreatedAt: benchTime, UpdatedAt: benchTime}
				if err := tx.CreateConsumer(ctx, &c); err != nil {
					return err
				}
				in := integration.Integration{Name: "integration " + strconv.Itoa(done), Email: "ops@example.com", Status: integration.StatusActive,
					ConsumerID: c.ID, Resources: []string{"Magento_Catalog::products", "Magento_Sales::sales"}, CreatedAt: benchTime, UpdatedAt: benchTime}
				if err := ts.CreateIntegration(ctx, &in); err != nil {
					return err
				}
				t := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenAccess, Token: benchCredential(b), Secret: benchCredential(b),
					Verifier: benchCredential(b), CallbackURL: oauth.CallbackOOB, UserType: user.Integration, CreatedAt: benchTime}
				if err := tx.CreateToken(ctx, &t); err != nil {
					return err
				}
				if done%(n/cap(creds)) == 0 && len(creds) < cap(creds) {
					creds = append(creds, scaleCred{c.Key, c.Secret, t.Token, t.Secret})
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	return s, creds
}

func scaleProvider(s *memstore.Store) *oauth.Provider {
	return oauth.NewProvider(s, oauth.Config{Now: func() time.Time { return benchTime }})
}

// verifyRatio times Verify over the large store against the small one, in
// the same process and heap, in alternating batches (the first of each
// round alternating too), each Verify with a fresh nonce signed beforehand.
// It returns the median over the rounds of the large store's time over the
// small one's: a collection or a neighbour's burst that lands in one batch
// moves one round's ratio, not the result.
func verifyRatio(b *testing.B, large *oauth.Provider, largeCreds []scaleCred, small *oauth.Provider, smallCreds []scaleCred) float64 {
	const rounds, batch = 101, 500
	ctx := b.Context()
	r := httptest.NewRequest(http.MethodGet, scaleURL, nil)
	r.Header.Set("Authorization", "")
	auth := r.Header["Authorization"]
	largeRing, smallRing := make([]string, batch), make([]string, batch)
	timeBatch := func(p *oauth.Provider, ring []string) time.Duration {
		start := time.Now()
		for _, h := range ring {
			auth[0] = h
			if _, err := p.Verify(ctx, r); err != nil {
				b.Fatalf("Verify = %v", err)
			}
		}
		return time.Since(start)
	}
	runtime.GC() // the seeding's garbage is neither store's
	ratios := make([]float64, rounds)
	for round := range rounds {
		for i := range batch {
			// Nonces past any the benchmark's loop has used.
			nonce := 1<<40 + round*batch + i
			largeRing[i] = scaleHeader(b, largeCreds[nonce%len(largeCreds)], nonce)
			smallRing[i] = scaleHeader(b, smallCreds[nonce%len(smallCreds)], nonce)
		}
		var largeTime, smallTime time.Duration
		if round%2 == 0 {
			largeTime = timeBatch(large, largeRing)
			smallTime = timeBatch(small, smallRing)
		} else {
			smallTime = timeBatch(small, smallRing)
			largeTime = timeBatch(large, largeRing)
		}
		ratios[round] = float64(largeTime) / float64(smallTime)
	}
	slices.Sort(ratios)
	return ratios[rounds/2]
}

// scaleHeader signs scaleURL for c with nonce n.
func scaleHeader(b *testing.B, c scaleCred, n int) string {
	params := []signature.Param{
		{Name: signature.ParamConsumerKey, Value: c.key},
		{Name: signature.ParamNonce, Value: "scale" + strconv.Itoa(n)},
		{Name: signature.ParamSignatureMethod, Value: signature.HMACSHA256},
		{Name: signature.ParamTimestamp, Value: strconv.FormatInt(benchTime.Unix(), 10)},
		{Name: signature.ParamToken, Value: c.token},
		{Name: signature.ParamVersion, Value: "1.0"},
	}
	all, err := signature.Magento247.Params(signature.Request{Method: http.MethodGet, URL: scaleURL, Authorization: signature.AuthorizationHeader(params)})
	if err != nil {
		b.Fatal(err)
	}
	base, err := signature.Magento247.BaseString(http.MethodGet, scaleURL, all)
	if err != nil {
		b.Fatal(err)
	}
	sig, err := signature.Magento247.Sign(signature.HMACSHA256, base, c.secret, c.tokenSecret)
	if err != nil {
		b.Fatal(err)
	}
	return signature.AuthorizationHeader(append(params, signature.Param{Name: signature.ParamSignature, Value: sig}))
}
