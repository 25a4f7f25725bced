package oauth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"hash"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/store/sqlstore"
	"github.com/magekit/magekit/user"
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
	// the timed loop would measure the client too. When the loop outruns
	// the ring, the ring is signed again with new nonces, timer stopped.
	benchRing = 1 << 16
)

type benchCredential struct {
	consumer oauth.Consumer
	token    oauth.Token
}

// seedBench stores benchConsumers consumers, each with an access token, 500
// per transaction.
func seedBench(b *testing.B, s oauth.Store) []benchCredential {
	b.Helper()
	ctx := b.Context()
	creds := make([]benchCredential, 0, benchConsumers)
	for len(creds) < benchConsumers {
		err := s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
			for range 500 {
				c := oauth.Consumer{Name: "Integration" + strconv.Itoa(len(creds)+1), Key: mustCredential(b), Secret: mustCredential(b), CreatedAt: epoch, UpdatedAt: epoch}
				if err := tx.CreateConsumer(ctx, &c); err != nil {
					return err
				}
				t := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenAccess, Token: mustCredential(b), Secret: mustCredential(b),
					Verifier: mustCredential(b), CallbackURL: oauth.CallbackOOB, UserType: user.Integration, CreatedAt: epoch}
				if err := tx.CreateToken(ctx, &t); err != nil {
					return err
				}
				creds = append(creds, benchCredential{c, t})
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	return creds
}

// benchHeader signs benchURL for credential c with nonce n.
func benchHeader(b *testing.B, c benchCredential, n int) string {
	params := []signature.Param{
		{Name: signature.ParamConsumerKey, Value: c.consumer.Key},
		{Name: signature.ParamNonce, Value: "bench" + strconv.Itoa(n)},
		{Name: signature.ParamSignatureMethod, Value: signature.HMACSHA256},
		{Name: signature.ParamTimestamp, Value: strconv.FormatInt(epoch.Unix(), 10)},
		{Name: signature.ParamToken, Value: c.token.Token},
		{Name: signature.ParamVersion, Value: "1.0"},
	}
	r := signed(b, signature.Magento247, http.MethodGet, benchURL, params, c.consumer.Secret, c.token.Secret)
	return r.Header.Get("Authorization")
}

// BenchmarkVerify verifies a signed GET against a store holding 10,000
// consumers and access tokens, each iteration with a fresh nonce: memstore,
// a SQLite file, and MySQL when MAGEKIT_MYSQL_DSN names a server. It
// reports the ratio to BenchmarkHMACFloor's work, measured in the same
// process, and for the SQL stores the database round trips per op.
func BenchmarkVerify(b *testing.B) {
	b.Run("memstore", func(b *testing.B) {
		s, err := memstore.New()
		if err != nil {
			b.Fatal(err)
		}
		benchVerify(b, s, nil)
	})
	b.Run("sqlite", func(b *testing.B) {
		s := openSQL(b, "sqlite:"+filepath.Join(b.TempDir(), "magekit.db"))
		benchVerify(b, s, s.RoundTrips)
	})
	b.Run("mysql", func(b *testing.B) {
		s := openSQL(b, benchMySQL(b))
		benchVerify(b, s, s.RoundTrips)
	})
}

func benchVerify(b *testing.B, s oauth.Store, roundTrips func() int64) {
	creds := seedBench(b, s)
	p := oauth.NewProvider(s, oauth.Config{Now: func() time.Time { return epoch }})
	ring := make([]string, benchRing)
	sign := func(from int) {
		for i := range ring {
			ring[i] = benchHeader(b, creds[(from+i)%len(creds)], from+i)
		}
	}
	sign(0)
	runtime.GC()
	r := httptest.NewRequest(http.MethodGet, benchURL, nil)
	r.Header.Set("Authorization", ring[0])
	auth := r.Header["Authorization"]
	ctx := b.Context()
	var trips int64
	if roundTrips != nil {
		trips = roundTrips()
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i > 0 && i%len(ring) == 0 {
			b.StopTimer()
			sign(i)
			runtime.GC() // the signer's garbage is not Verify's
			b.StartTimer()
		}
		auth[0] = ring[i%len(ring)]
		i++
		if _, err := p.Verify(ctx, r); err != nil {
			b.Fatalf("Verify = %v", err)
		}
	}
	verify := float64(b.Elapsed().Nanoseconds()) / float64(i)
	if roundTrips != nil {
		b.ReportMetric(float64(roundTrips()-trips)/float64(i), "roundtrips/op")
	}
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

// openSQL opens a sqlstore and closes it when b ends.
func openSQL(b *testing.B, dsn string) *sqlstore.Store {
	b.Helper()
	s, err := sqlstore.Open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// benchMySQL creates a database magekit_bench_<random> on the server of
// MAGEKIT_MYSQL_DSN, drops it when b ends, and returns its store DSN. It
// skips without MAGEKIT_MYSQL_DSN.
func benchMySQL(b *testing.B) string {
	b.Helper()
	env := os.Getenv("MAGEKIT_MYSQL_DSN")
	if env == "" {
		b.Skip("set MAGEKIT_MYSQL_DSN (bash .ci/mariadb.sh start prints one)")
	}
	cfg, err := mysql.ParseDSN(env)
	if err != nil {
		b.Fatalf("MAGEKIT_MYSQL_DSN: %v", err)
	}
	name := "magekit_bench_" + mustCredential(b)[:12]
	server := cfg.Clone()
	server.DBName = ""
	db, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		db.Close()
		b.Fatalf("create database: %v", err)
	}
	b.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			b.Errorf("drop database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return "mysql:" + cfg.FormatDSN()
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
	params := []signature.Param{
		{Name: signature.ParamConsumerKey, Value: "y792n13cvb75be6pkw7zhetznhj28bzf"},
		{Name: signature.ParamNonce, Value: "bench100000"},
		{Name: signature.ParamSignatureMethod, Value: signature.HMACSHA256},
		{Name: signature.ParamTimestamp, Value: strconv.FormatInt(epoch.Unix(), 10)},
		{Name: signature.ParamToken, Value: "w8pfue5uns73t2ahtgjn204bsrpocn04"},
		{Name: signature.ParamVersion, Value: "1.0"},
	}
	req := signature.Request{Method: http.MethodGet, URL: benchURL, Authorization: signature.AuthorizationHeader(params)}
	all, err := signature.Magento247.Params(req)
	if err != nil {
		b.Fatal(err)
	}
	base, err := signature.Magento247.BaseString(req.Method, req.URL, all)
	if err != nil {
		b.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte(signature.SigningKey("sphwnjuicgswx1g2adhwd8k53dg008va", "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p")))
	return []byte(base), mac
}

// BenchmarkBaseString measures extraction and the base string alone, the
// pure part of Verify.
func BenchmarkBaseString(b *testing.B) {
	req := signature.Request{Method: http.MethodGet, URL: benchURL, Authorization: `OAuth oauth_consumer_key="y792n13cvb75be6pkw7zhetznhj28bzf", oauth_nonce="n", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1718000000", oauth_token="w8pfue5uns73t2ahtgjn204bsrpocn04", oauth_version="1.0", oauth_signature="DXNARaAwVWoNNzndpidJBx%2BCdfMwLMwfCG9PKSGGprk%3D"`}
	b.ReportAllocs()
	for b.Loop() {
		params, err := signature.Magento247.Params(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := signature.Magento247.BaseString(req.Method, req.URL, params); err != nil {
			b.Fatal(err)
		}
	}
}
