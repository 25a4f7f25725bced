package sqlstore_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/sqlstore"
	"github.com/magekit/magekit/user"
)

// seeded is how many consumers, each with an access token, the benchmark
// store holds.
const seeded = 10_000

// BenchmarkVerifyStore does per op what oauth's Verify asks of the store:
// ConsumerToken for a consumer key and access token, then UseNonce with a
// fresh nonce. It reports the database round trips per op.
func BenchmarkVerifyStore(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		benchVerify(b, openStore(b, sqliteDSN(b)))
	})
	b.Run("mysql", func(b *testing.B) {
		mysqlServer(b)
		benchVerify(b, openStore(b, mysqlDSN(b)))
	})
}

type benchCred struct {
	id         int64
	key, token string
}

func benchVerify(b *testing.B, s *sqlstore.Store) {
	ctx := b.Context()
	creds := seed(b, s)
	prefix := cred(b)[:16] // nonces of this run: 16 random + 16 counter characters
	buf := make([]byte, 0, 32)
	before := s.RoundTrips()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		cr := creds[i%len(creds)]
		c, tok, found, err := s.ConsumerToken(ctx, cr.key, cr.token)
		if err != nil || !found || tok.ConsumerID != c.ID || tok.Type != oauth.TokenAccess {
			b.Fatalf("ConsumerToken = %v, %v", found, err)
		}
		buf = strconv.AppendInt(append(buf[:0], prefix...), int64(i)+1e15, 10)
		if err := s.UseNonce(ctx, c.ID, string(buf), 1718000000); err != nil {
			b.Fatalf("UseNonce: %v", err)
		}
		i++
	}
	b.ReportMetric(float64(s.RoundTrips()-before)/float64(b.N), "roundtrips/op")
}

// seed stores the consumers and their access tokens, 500 per transaction.
func seed(b *testing.B, s *sqlstore.Store) []benchCred {
	b.Helper()
	ctx := b.Context()
	creds := make([]benchCred, 0, seeded)
	for len(creds) < seeded {
		err := s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
			for range 500 {
				c := oauth.Consumer{Name: fmt.Sprintf("Integration%d", len(creds)+1), Key: cred(b), Secret: cred(b)}
				if err := tx.CreateConsumer(ctx, &c); err != nil {
					return err
				}
				t := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenAccess, Token: cred(b), Secret: cred(b),
					Verifier: cred(b), CallbackURL: oauth.CallbackOOB, UserType: user.Integration}
				if err := tx.CreateToken(ctx, &t); err != nil {
					return err
				}
				creds = append(creds, benchCred{c.ID, c.Key, t.Token})
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	return creds
}
