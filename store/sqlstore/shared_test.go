package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/store/sqlstore"
	"github.com/magekit/magekit/user"
)

// backends runs fn once per dialect with a function that returns the dsn
// of a fresh, empty database. MySQL runs only with MAGEKIT_MYSQL_DSN.
func backends(t *testing.T, fn func(t *testing.T, fresh func(t *testing.T) string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, func(t *testing.T) string { return sqliteDSN(t) }) })
	t.Run("mysql", func(t *testing.T) {
		mysqlServer(t)
		fn(t, func(t *testing.T) string { return mysqlDSN(t) })
	})
}

// racers is how many goroutines a race releases at once.
const racers = 16

// race runs fn(i) for i in [0, racers) on goroutines released together and
// returns their errors.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	start := make(chan struct{})
	var ready, done sync.WaitGroup
	for i := range racers {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}

// oneWinner fails t unless exactly one error is nil and every other one
// matches loser (any error when loser is nil).
func oneWinner(t *testing.T, what string, errs []error, loser error) {
	t.Helper()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case loser != nil && !errors.Is(err, loser):
			t.Errorf("%s: racer %d: error = %v, want %v", what, i, err, loser)
		}
	}
	if wins != 1 {
		t.Errorf("%s: %d of %d racers won, want exactly 1", what, wins, len(errs))
	}
}

// seedConsumer stores a consumer with a token row of type typ.
func seedConsumer(t testing.TB, s *sqlstore.Store, typ oauth.TokenType) (oauth.Consumer, oauth.Token) {
	t.Helper()
	ctx := t.Context()
	c := oauth.Consumer{Name: "Integration", Key: cred(t), Secret: cred(t)}
	if err := s.CreateConsumer(ctx, &c); err != nil {
		t.Fatalf("CreateConsumer: %v", err)
	}
	tok := oauth.Token{ConsumerID: c.ID, Type: typ, Token: cred(t), Secret: cred(t), Verifier: cred(t),
		CallbackURL: oauth.CallbackOOB, UserType: user.Integration}
	if err := s.CreateToken(ctx, &tok); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return c, tok
}

func cred(t testing.TB) string {
	t.Helper()
	v, err := oauth.NewCredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTwoStores races two Stores, two connection pools as two processes
// would have, on one database: the database alone decides.
func TestTwoStores(t *testing.T) {
	backends(t, func(t *testing.T, fresh func(t *testing.T) string) {
		dsn := fresh(t)
		a, b := openStore(t, dsn), openStore(t, dsn)
		pick := func(i int) *sqlstore.Store {
			if i%2 == 0 {
				return a
			}
			return b
		}
		ctx := t.Context()

		t.Run("UseNonce", func(t *testing.T) {
			c, _ := seedConsumer(t, a, oauth.TokenAccess)
			nonce := cred(t)
			errs := race(func(i int) error { return pick(i).UseNonce(ctx, c.ID, nonce, 1718000000) })
			oneWinner(t, "UseNonce(one nonce, two stores)", errs, store.ErrExists)
		})
		t.Run("UpdateToken", func(t *testing.T) {
			_, req := seedConsumer(t, a, oauth.TokenRequest)
			errs := race(func(i int) error {
				up := req
				up.Type, up.Token, up.Secret = oauth.TokenAccess, cred(t), cred(t)
				return pick(i).UpdateToken(ctx, up, oauth.TokenRequest)
			})
			oneWinner(t, "UpdateToken(request → access, two stores)", errs, store.ErrConflict)
		})
		t.Run("AtomicIssueAccessToken", func(t *testing.T) {
			// The provider's exchange: read the row and compare-and-set it
			// inside Atomic.
			c, _ := seedConsumer(t, a, oauth.TokenRequest)
			errs := race(func(i int) error {
				return pick(i).Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
					_, err := oauth.IssueAccessToken(ctx, tx, c.ID, nil)
					return err
				})
			})
			oneWinner(t, "Atomic(IssueAccessToken, two stores)", errs, nil)
			tok, err := b.TokenByConsumer(ctx, c.ID)
			if err != nil || tok.Type != oauth.TokenAccess {
				t.Errorf("TokenByConsumer = %v, %v; want an access token", tok.Type, err)
			}
		})
		t.Run("AtomicReadModifyWrite", func(t *testing.T) {
			// Each racer reads a counter and writes it back plus one inside
			// Atomic: no increment may be lost.
			c, _ := seedConsumer(t, a, oauth.TokenAccess)
			c.Name = "0"
			if err := a.UpdateConsumer(ctx, c); err != nil {
				t.Fatal(err)
			}
			errs := race(func(i int) error {
				return pick(i).Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
					cur, err := tx.Consumer(ctx, c.ID)
					if err != nil {
						return err
					}
					n, err := strconv.Atoi(cur.Name)
					if err != nil {
						return err
					}
					cur.Name = strconv.Itoa(n + 1)
					return tx.UpdateConsumer(ctx, cur)
				})
			})
			for i, err := range errs {
				if err != nil {
					t.Errorf("racer %d: %v", i, err)
				}
			}
			got, err := a.Consumer(ctx, c.ID)
			if err != nil || got.Name != strconv.Itoa(racers) {
				t.Errorf("counter = %q, %v; want %d", got.Name, err, racers)
			}
		})
	})
}

// TestOpenRace opens one fresh database from several goroutines at once:
// every Open succeeds and the schema is there once.
func TestOpenRace(t *testing.T) {
	backends(t, func(t *testing.T, fresh func(t *testing.T) string) {
		dsn := fresh(t)
		stores := make([]*sqlstore.Store, 4)
		var wg sync.WaitGroup
		errs := make([]error, len(stores))
		for i := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				stores[i], errs[i] = sqlstore.Open(t.Context(), dsn)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Open #%d: %v", i, err)
				continue
			}
			t.Cleanup(func() { stores[i].Close() })
		}
		if t.Failed() {
			return
		}
		in := integration.Integration{Name: "ERP"}
		if err := stores[0].CreateIntegration(t.Context(), &in); err != nil {
			t.Fatal(err)
		}
		// Open again: the migrations are recorded, nothing runs twice.
		again := openStore(t, dsn)
		if _, err := again.Integration(t.Context(), in.ID); err != nil {
			t.Errorf("Integration after reopening: %v", err)
		}
		if err := again.Check(t.Context()); err == nil || !errors.Is(err, sqlstore.ErrInconsistent) {
			t.Errorf("Check(integration without consumer) = %v, want ErrInconsistent", err)
		}
	})
}

// TestRoundTrips pins the hot path: ConsumerToken is one SELECT and
// UseNonce one INSERT.
func TestRoundTrips(t *testing.T) {
	backends(t, func(t *testing.T, fresh func(t *testing.T) string) {
		s := openStore(t, fresh(t))
		ctx := t.Context()
		c, tok := seedConsumer(t, s, oauth.TokenAccess)
		for _, tc := range []struct {
			name string
			call func() error
		}{
			{"ConsumerToken", func() error {
				gc, gt, found, err := s.ConsumerToken(ctx, c.Key, tok.Token)
				if err == nil && (!found || gc.ID != c.ID || gt.ID != tok.ID) {
					err = fmt.Errorf("got consumer %d, token %d, found %v", gc.ID, gt.ID, found)
				}
				return err
			}},
			{"ConsumerToken(no token)", func() error { _, _, _, err := s.ConsumerToken(ctx, c.Key, ""); return err }},
			{"ConsumerToken(missing token)", func() error { _, _, _, err := s.ConsumerToken(ctx, c.Key, cred(t)); return err }},
			{"UseNonce", func() error { return s.UseNonce(ctx, c.ID, cred(t), 1718000000) }},
			{"UseNonce(used)", func() error {
				err := s.UseNonce(ctx, c.ID, "used", 1)
				if err == nil {
					err = s.UseNonce(ctx, c.ID, "used", 1)
				}
				if errors.Is(err, store.ErrExists) {
					return nil
				}
				return fmt.Errorf("second UseNonce = %v, want ErrExists", err)
			}},
			{"UseNonce(missing consumer)", func() error {
				if err := s.UseNonce(ctx, c.ID+1000, cred(t), 1); !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("UseNonce = %v, want ErrNotFound", err)
				}
				return nil
			}},
		} {
			before := s.RoundTrips()
			if err := tc.call(); err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			want := int64(1)
			if tc.name == "UseNonce(used)" {
				want = 2
			}
			if got := s.RoundTrips() - before; got != want {
				t.Errorf("%s: %d round trips, want %d", tc.name, got, want)
			}
		}
	})
}

// TestDeviations pins where sqlstore differs from memstore on purpose
// (doc.go): a deleted consumer clears the integration's consumer id, an
// integration cannot name a missing consumer, times keep microseconds.
func TestDeviations(t *testing.T) {
	backends(t, func(t *testing.T, fresh func(t *testing.T) string) {
		s := openStore(t, fresh(t))
		ctx := t.Context()
		c, _ := seedConsumer(t, s, oauth.TokenAccess)
		in := integration.Integration{Name: "ERP", ConsumerID: c.ID, AllResources: true}
		if err := s.CreateIntegration(ctx, &in); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteConsumer(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Integration(ctx, in.ID)
		if err != nil || got.ConsumerID != 0 || !got.AllResources {
			t.Errorf("Integration after DeleteConsumer = %+v, %v; want ConsumerID 0, AllResources", got, err)
		}
		// Times keep microseconds and read back in UTC.
		when := time.Date(2024, 6, 10, 8, 13, 20, 123456789, time.FixedZone("CEST", 7200))
		c2 := oauth.Consumer{Key: cred(t), Secret: cred(t), CreatedAt: when, UpdatedAt: when.Add(time.Microsecond)}
		if err := s.CreateConsumer(ctx, &c2); err != nil {
			t.Fatal(err)
		}
		gotC, err := s.Consumer(ctx, c2.ID)
		if want := when.Truncate(time.Microsecond); err != nil || !gotC.CreatedAt.Equal(want) ||
			!gotC.UpdatedAt.Equal(want.Add(time.Microsecond)) || gotC.CreatedAt.Location() != time.UTC {
			t.Errorf("Consumer times = %v, %v, %v; want %v and 1µs later, in UTC", gotC.CreatedAt, gotC.UpdatedAt, err, want)
		}
		// A consumer that does not exist cannot be referenced.
		in2 := integration.Integration{Name: "PIM", ConsumerID: c.ID}
		if err := s.CreateIntegration(ctx, &in2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CreateIntegration(missing consumer) = %v, want ErrNotFound", err)
		}
	})
}
