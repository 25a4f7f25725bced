//go:build exhaustion

package emulator_test

// The exhaustion test sends each hostile load the emulator must withstand
// to an Emulator in this process and measures what it costs: the live heap
// after a collection (what the load left behind: under 16 MiB), the heap's
// peak while it ran (under 192 MiB), what was allocated per byte sent (at
// most 12), and for SQLite the growth of the database files (under 16 MiB). It is bounded in count and time, loopback only:
//
//	go test -tags exhaustion -run Exhaustion -v ./emulator/

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store/sqlstore"
)

// exhCreds are the credentials of the integration the nonce loads name.
var exhCreds = integration.Credentials{
	ConsumerKey:       "ck000000000000000000000000000009",
	ConsumerSecret:    "cs000000000000000000000000000009",
	AccessToken:       "at000000000000000000000000000009",
	AccessTokenSecret: "as000000000000000000000000000009",
}

// exhLoad is one hostile load: requests built before the measure starts
// (so the test's own bodies are not counted), sent by conc clients at once.
type exhLoad struct {
	name string
	conc int
	reqs func() []exhRequest
	// sqlite runs the load against a SQLite file too.
	sqlite bool
}

type exhRequest struct {
	method, path, body string
	headers            []string
}

// exhLoads are the loads of the hardening: bodies that amplify when
// decoded, and values any caller can make the emulator keep.
func exhLoads() []exhLoad {
	const mb = 1 << 20
	oauthHeader := func(nonce string) string {
		return fmt.Sprintf(`OAuth oauth_consumer_key="%s",oauth_token="%s",oauth_signature_method="HMAC-SHA256",`+
			`oauth_timestamp="%d",oauth_nonce="%s",oauth_version="1.0",oauth_signature="c2lnbmF0dXJl"`,
			exhCreds.ConsumerKey, exhCreds.AccessToken, time.Now().Unix(), nonce)
	}
	return []exhLoad{
		{name: "four 8 MB JSON arrays to the admin token route", conc: 4, reqs: func() []exhRequest {
			body := "[" + strings.Repeat("0,", 4*mb-1) + "0]"
			return exhRepeat(4, func(int) exhRequest {
				return exhRequest{"POST", "/rest/V1/integration/admin/token", body, []string{"Content-Type: application/json"}}
			})
		}},
		{name: "four 8 MB XML bodies of two million empty elements to the admin token route", conc: 4, reqs: func() []exhRequest {
			body := "<a>" + strings.Repeat("<b/>", (8*mb-7)/4) + "</a>"
			return exhRepeat(4, func(int) exhRequest {
				return exhRequest{"POST", "/rest/V1/integration/admin/token", body, []string{"Content-Type: application/xml"}}
			})
		}},
		{name: "60 signed calls with 900 KB nonces", conc: 4, sqlite: true, reqs: func() []exhRequest {
			nonce := strings.Repeat("n", 900<<10)
			return exhRepeat(60, func(i int) exhRequest {
				return exhRequest{"GET", "/rest/V1/products", "", []string{"Authorization: " + oauthHeader(fmt.Sprintf("%s%03d", nonce, i))}}
			})
		}},
		{name: "four form bodies with an 8 MB oauth_nonce to /oauth/token/request", conc: 1, sqlite: true, reqs: func() []exhRequest {
			nonce := strings.Repeat("n", 8*mb-300)
			return exhRepeat(4, func(i int) exhRequest {
				body := fmt.Sprintf("oauth_consumer_key=%s&oauth_signature_method=HMAC-SHA256&oauth_timestamp=%d&oauth_nonce=%s%d&oauth_version=1.0&oauth_callback=oob&oauth_signature=c2ln",
					exhCreds.ConsumerKey, time.Now().Unix(), nonce, i)
				return exhRequest{"POST", "/oauth/token/request", body, []string{"Content-Type: application/x-www-form-urlencoded",
					// The form's oauth_ parameters count only under an OAuth
					// header without parameters (docs/magento-behaviour.md §7.2).
					`Authorization: OAuth realm="magekit"`}}
			})
		}},
		{name: "100 admin sign-ins with 1 MB user names", conc: 4, reqs: func() []exhRequest {
			name := strings.Repeat("u", mb)
			return exhRepeat(100, func(i int) exhRequest {
				return exhRequest{"POST", "/rest/V1/integration/admin/token", fmt.Sprintf(`{"username":"%s%03d","password":"x"}`, name, i), []string{"Content-Type: application/json"}}
			})
		}},
		{name: "30 anonymous customer sign-ups with 1 MB names and e-mails", conc: 4, reqs: func() []exhRequest {
			long := strings.Repeat("a", mb)
			return exhRepeat(30, func(i int) exhRequest {
				body := fmt.Sprintf(`{"customer":{"email":"%s%03d@example.com","firstname":"%s","lastname":"%s"},"password":"Secret-Pass-123"}`, long, i, long, long)
				return exhRequest{"POST", "/rest/V1/customers", body, []string{"Content-Type: application/json"}}
			})
		}},
	}
}

func exhRepeat(n int, f func(int) exhRequest) []exhRequest {
	out := make([]exhRequest, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// exhHeap is the live heap after two collections.
func exhHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// exhNew starts an Emulator with the integration of exhCreds, on a
// SQLite file when dbPath is not empty.
func exhNew(t *testing.T, dbPath string) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	c := emulator.Config{BaseURL: "http://" + srv.Listener.Addr().String() + "/", PasswordIterations: 1000}
	if dbPath != "" {
		st, err := sqlstore.Open(t.Context(), "sqlite:"+dbPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		c.Store = st
	}
	emu, err := emulator.New(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := emu.Service().CreateWithCredentials(t.Context(), integration.Integration{Name: "ERP", AllResources: true}, exhCreds); err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = emu
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// exhFiles is the size of the database file and its journals.
func exhFiles(dbPath string) int64 {
	var n int64
	for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-journal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func TestExhaustion(t *testing.T) {
	for _, load := range exhLoads() {
		stores := []string{"memory"}
		if load.sqlite {
			stores = append(stores, "sqlite")
		}
		for _, store := range stores {
			t.Run(load.name+"/"+store, func(t *testing.T) {
				dbPath := ""
				if store == "sqlite" {
					dbPath = filepath.Join(t.TempDir(), "magekit.db")
				}
				srv := exhNew(t, dbPath)
				reqs := load.reqs()
				sent := 0
				for _, r := range reqs {
					sent += len(r.body) + len(strings.Join(r.headers, ""))
				}
				client := &http.Client{Timeout: time.Minute}
				statuses := exhSend(t, client, srv.URL, reqs[:1]) // warm up pools with one request
				files := exhFiles(dbPath)
				base := exhHeap()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)

				stop := make(chan struct{})
				var peak atomic.Uint64
				var sampled sync.WaitGroup
				sampled.Add(1)
				go func() {
					defer sampled.Done()
					var m runtime.MemStats
					for {
						runtime.ReadMemStats(&m)
						if m.HeapAlloc > peak.Load() {
							peak.Store(m.HeapAlloc)
						}
						select {
						case <-stop:
							return
						case <-time.After(2 * time.Millisecond):
						}
					}
				}()
				start := time.Now()
				for s, n := range exhSendConc(t, client, srv.URL, reqs[1:], load.conc) {
					statuses[s] += n
				}
				elapsed := time.Since(start)
				close(stop)
				sampled.Wait()

				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				live := exhHeap()
				grown := int64(live) - int64(base)
				t.Logf("answers %v in %v", statuses, elapsed.Round(time.Millisecond))
				t.Logf("live heap grew by %.1f MiB; peak heap %.1f MiB above the start; allocated %.2f bytes per byte sent (%.0f MiB sent)",
					float64(grown)/(1<<20), float64(int64(peak.Load())-int64(base))/(1<<20),
					float64(after.TotalAlloc-before.TotalAlloc)/float64(sent), float64(sent)/(1<<20))
				if grown > 16<<20 {
					t.Errorf("live heap grew by %d MiB, want under 16 MiB", grown>>20)
				}
				// The peak and the allocations count this test's clients
				// too, which copy what they send about once.
				if p := int64(peak.Load()) - int64(base); p > 192<<20 {
					t.Errorf("peak heap %d MiB above the start, want under 192 MiB", p>>20)
				}
				if per := float64(after.TotalAlloc-before.TotalAlloc) / float64(sent); per > 12 {
					t.Errorf("allocated %.1f bytes per byte sent, want at most 12", per)
				}
				if dbPath != "" {
					df := exhFiles(dbPath) - files
					t.Logf("SQLite files grew by %.2f MiB", float64(df)/(1<<20))
					if df > 16<<20 {
						t.Errorf("SQLite files grew by %d MiB, want under 16 MiB", df>>20)
					}
				}
				for s := range statuses {
					if s >= 500 {
						t.Errorf("%d answers were %d", statuses[s], s)
					}
				}
				runtime.KeepAlive(reqs)
			})
		}
	}
}

// exhSendConc sends reqs with conc clients at once and counts the statuses
// (0 for a transport error).
func exhSendConc(t *testing.T, client *http.Client, base string, reqs []exhRequest, conc int) map[int]int {
	var mu sync.Mutex
	total := map[int]int{}
	var wg sync.WaitGroup
	next := make(chan exhRequest)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				got := exhSend(t, client, base, []exhRequest{r})
				mu.Lock()
				for s, n := range got {
					total[s] += n
				}
				mu.Unlock()
			}
		}()
	}
	for _, r := range reqs {
		next <- r
	}
	close(next)
	wg.Wait()
	return total
}

func exhSend(t *testing.T, client *http.Client, base string, reqs []exhRequest) map[int]int {
	got := map[int]int{}
	for _, r := range reqs {
		var body io.Reader
		if r.body != "" {
			body = strings.NewReader(r.body)
		}
		req, err := http.NewRequest(r.method, base+r.path, body)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, h := range r.headers {
			name, value, _ := strings.Cut(h, ":")
			req.Header.Set(name, strings.TrimSpace(value))
		}
		resp, err := client.Do(req)
		if err != nil {
			got[0]++
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got[resp.StatusCode]++
	}
	return got
}
