//go:build load

package integrationtest_test

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
)

// The load test: go test -tags load -run TestLoad -v ./integrationtest/
// [-load.duration=30s] (or MAGEKIT_LOAD_DURATION=10s).
var loadDuration = flag.Duration("load.duration", 30*time.Second, "how long TestLoad sends requests")

const (
	loadClients = 32
	badEvery    = 16 // every 16th request is signed with a wrong secret
	bucketWidth = 10 * time.Microsecond
	numBuckets  = 10_000 // up to 100 ms; slower requests count as 100 ms
)

// histogram counts latencies in 10 µs buckets.
type histogram [numBuckets + 1]uint32

func (h *histogram) add(d time.Duration) {
	i := int(d / bucketWidth)
	if i > numBuckets {
		i = numBuckets
	}
	h[i]++
}

// quantile returns the upper bound of the bucket holding quantile q.
func quantile(hs []*histogram, q float64) time.Duration {
	var total, seen uint64
	var merged histogram
	for _, h := range hs {
		for i, n := range h {
			merged[i] += n
			total += uint64(n)
		}
	}
	target := uint64(q * float64(total))
	for i, n := range merged {
		seen += uint64(n)
		if seen > target {
			return time.Duration(i+1) * bucketWidth
		}
	}
	return numBuckets * bucketWidth
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLoad sends OAuth-signed GET /rest/V1/products (a fixture) from 32
// concurrent clients over loopback for -load.duration: every answer must
// be the fixture, or, for the one request in 16 signed with a wrong
// secret, Magento's 401. Afterwards the goroutines return to their count
// before the load and the heap, once the store is reset, to its size.
func TestLoad(t *testing.T) {
	d := *loadDuration
	if env := os.Getenv("MAGEKIT_LOAD_DURATION"); env != "" {
		var err error
		if d, err = time.ParseDuration(env); err != nil {
			t.Fatalf("MAGEKIT_LOAD_DURATION: %v", err)
		}
	}
	fixed := integration.Credentials{
		ConsumerKey: strings.Repeat("k", 32), ConsumerSecret: strings.Repeat("s", 32),
		AccessToken: strings.Repeat("t", 32), AccessTokenSecret: strings.Repeat("x", 32),
	}
	wrong := fixed
	wrong.AccessTokenSecret = strings.Repeat("w", 32)
	srv := integrationtest.NewServer(t, integrationtest.WithFixture(products),
		integrationtest.WithActiveIntegration(integration.Integration{Name: "ERP", Resources: []string{"Magento_Catalog::products"}}, fixed))
	good, bad := srv.SignedClient(fixed), srv.SignedClient(wrong)
	url := srv.URL + "/rest/V1/products?searchCriteria[pageSize]=20"
	const badBody = `{"message":"The signature is invalid. Verify and try again."}`

	hists := make([]*histogram, loadClients)
	for i := range hists {
		hists[i] = new(histogram)
	}
	goroutines := runtime.NumGoroutine()
	heapBefore := heapAfterGC()

	var (
		requests, expected401 atomic.Int64
		errMu                 sync.Mutex
		errs                  []string
	)
	fail := func(format string, args ...any) {
		errMu.Lock()
		defer errMu.Unlock()
		if len(errs) < 20 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for c := range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := hists[c]
			for n := 0; time.Now().Before(deadline); n++ {
				isBad := n%badEvery == badEvery-1
				client := good
				if isBad {
					client = bad
				}
				t0 := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					fail("client %d: %v", c, err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				h.add(time.Since(t0))
				requests.Add(1)
				switch {
				case err != nil:
					fail("client %d: read: %v", c, err)
				case isBad && resp.StatusCode == http.StatusUnauthorized && string(body) == badBody:
					expected401.Add(1)
				case !isBad && resp.StatusCode == http.StatusOK && string(body) == string(products.Body):
				default:
					fail("client %d: bad=%v: %d %s", c, isBad, resp.StatusCode, body)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := requests.Load()
	rps := float64(total) / elapsed.Seconds()
	p50, p99 := quantile(hists, 0.50), quantile(hists, 0.99)
	report := fmt.Sprintf("load: %d clients, %v: %d requests (%d expected 401s), %.0f req/s, p50 %v, p99 %v",
		loadClients, elapsed.Round(time.Millisecond), total, expected401.Load(), rps, p50, p99)
	fmt.Println(report)
	t.Log(report)
	for _, e := range errs {
		t.Error(e)
	}

	// Goroutines: every connection's goroutines end once the clients let
	// their connections go.
	good.CloseIdleConnections()
	srv.Client().CloseIdleConnections()
	var now int
	for wait := time.Now().Add(10 * time.Second); time.Now().Before(wait); time.Sleep(50 * time.Millisecond) {
		if now = runtime.NumGoroutine(); now <= goroutines {
			break
		}
	}
	fmt.Printf("load: goroutines %d before, %d after\n", goroutines, now)
	if now > goroutines {
		t.Errorf("goroutines: %d before the load, %d after", goroutines, now)
	}

	// Heap: what remains is the nonces Magento keeps (one per signed
	// request, until the cleanup) and the bounded journal; a reset drops
	// both, and the heap must be back to its size before the load.
	heapLoaded := heapAfterGC()
	srv.Reset(t)
	heapReset := heapAfterGC()
	perRequest := float64(int64(heapLoaded)-int64(heapBefore)) / float64(max(total, 1))
	fmt.Printf("load: heap %.1f MiB before, %.1f MiB after (%.0f B per request: nonces and journal), %.1f MiB after reset\n",
		mib(heapBefore), mib(heapLoaded), perRequest, mib(heapReset))
	if heapReset > heapBefore+4<<20 {
		t.Errorf("heap after reset %.1f MiB, before the load %.1f MiB: memory is kept", mib(heapReset), mib(heapBefore))
	}
	if perRequest > 2048 {
		t.Errorf("heap grew %.0f B per request, more than a nonce needs", perRequest)
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
