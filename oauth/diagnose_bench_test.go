package oauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/memstore"
)

// failURL is benchURL with what makes most of the doctor's variants apply:
// filter indexes 2 and 10, a '+' and a repeated name.
const failURL = benchURL +
	"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B2%5D%5Bfield%5D=name" +
	"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B10%5D%5Bfield%5D=sku" +
	"&q=Joust+Duffle&store=default&store=fr"

// BenchmarkSignatureFailure verifies a request whose signature no known
// mistake explains (the doctor's worst case: every variant is tried),
// with DiagnoseSignatures off ("plain") and on ("diagnosed"), against
// memstore. The diagnosed run also reports its cost as a multiple of a
// plain failure timed in the same process.
func BenchmarkSignatureFailure(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchFailure(b, false) })
	b.Run("diagnosed", func(b *testing.B) { benchFailure(b, true) })
}

func benchFailure(b *testing.B, diagnose bool) {
	s, err := memstore.New()
	if err != nil {
		b.Fatal(err)
	}
	creds := seedBench(b, s)
	cfg := oauth.Config{Now: func() time.Time { return epoch }}
	plain := oauth.NewProvider(s, cfg)
	cfg.DiagnoseSignatures = diagnose
	p := oauth.NewProvider(s, cfg)

	const ring = 1 << 12
	headers := make([]string, ring)
	next := 0
	sign := func() {
		for i := range headers {
			c := creds[next%len(creds)]
			params := []signature.Param{
				{Name: signature.ParamConsumerKey, Value: c.consumer.Key},
				{Name: signature.ParamNonce, Value: "fail" + strconv.Itoa(next)},
				{Name: signature.ParamSignatureMethod, Value: signature.HMACSHA256},
				{Name: signature.ParamTimestamp, Value: strconv.FormatInt(epoch.Unix(), 10)},
				{Name: signature.ParamToken, Value: c.token.Token},
				{Name: signature.ParamVersion, Value: "1.0"},
			}
			// Another consumer secret: nothing the doctor tries matches.
			r := signed(b, signature.Magento247, http.MethodGet, failURL, params, "0123456789abcdefghijklmnopqrstuv", c.token.Secret)
			headers[i] = r.Header.Get("Authorization")
			next++
		}
	}
	r := httptest.NewRequest(http.MethodGet, failURL, nil)
	auth := r.Header["Authorization"]
	if auth == nil {
		r.Header.Set("Authorization", "")
		auth = r.Header["Authorization"]
	}
	ctx := b.Context()
	run := func(p *oauth.Provider, diagnosed bool, i int) {
		auth[0] = headers[i%ring]
		_, err := p.Verify(ctx, r)
		d, ok := oauth.DiagnosisOf(err)
		if !errors.As(err, new(*oauth.SignatureError)) || ok != diagnosed || ok && d.Rule != signature.RuleUnknown {
			b.Fatalf("Verify = %v (diagnosis %+v), want a signature failure, diagnosed: %v", err, d, diagnosed)
		}
	}

	var plainNs float64
	if diagnose {
		// The baseline: plain failures, timed by hand in this process.
		sign()
		start := time.Now()
		for i := range ring {
			run(plain, false, i)
		}
		plainNs = float64(time.Since(start).Nanoseconds()) / ring
	}
	sign()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i > 0 && i%ring == 0 {
			b.StopTimer()
			sign()
			b.StartTimer()
		}
		run(p, diagnose, i)
		i++
	}
	if diagnose {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i)/plainNs, "x-plain-failure")
	}
}
