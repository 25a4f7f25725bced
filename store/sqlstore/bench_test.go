package sqlstore_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/sqlstore"
)

// seeded is how many integrations, each with its consumer, access token,
// ACL role and allow rules, the benchmark store holds; -short seeds
// seededShort.
const (
	seeded      = 100_000
	seededShort = 10_000
)

// BenchmarkVerifyStore does per op what a signed REST call asks of the
// store: ConsumerTokenOwner for a consumer key and access token (the
// consumer, the token and the consumer's integration with its allow rules,
// as oauth's Verify reads them from an oauth.OwnerStore), then UseNonce with
// a fresh nonce. The consumers are taken in a pseudo-random order. It
// reports the database round trips per op and, as x-db-floor, its time as
// a multiple of the database's floor for the same two round trips, timed
// after the loop on the same database with the store's settings: a
// prepared primary-key SELECT of one consumer column, then a prepared
// one-row INSERT of a fresh key into a table of one column.
func BenchmarkVerifyStore(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		benchVerify(b, sqliteDSN(b))
	})
	b.Run("mysql", func(b *testing.B) {
		mysqlServer(b)
		benchVerify(b, mysqlDSN(b))
	})
}

type benchCred struct {
	id         int64
	key, token string
}

func benchVerify(b *testing.B, dsn string) {
	ctx := b.Context()
	n := seeded
	if testing.Short() {
		n = seededShort
	}
	s := openStore(b, dsn)
	creds := seedBulk(b, dsn, n)
	prefix := cred(b)[:16] // nonces of this run: 16 random + 16 counter characters
	buf := make([]byte, 0, 32)
	before := s.RoundTrips()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// A multiplicative step (coprime with n) spreads the reads over
		// the whole key space instead of walking it in insertion order.
		cr := creds[(i*7919)%len(creds)]
		c, tok, found, owner, err := s.ConsumerTokenOwner(ctx, cr.key, cr.token)
		if err != nil || !found || c.ID != cr.id || tok.ConsumerID != c.ID || tok.Type != oauth.TokenAccess {
			b.Fatalf("ConsumerTokenOwner(%d) = %v, %v", cr.id, found, err)
		}
		if o, ok := owner.(*integration.Owner); !ok || !o.Found || o.Integration.ConsumerID != c.ID || len(o.Integration.Resources) != len(benchResources) {
			b.Fatalf("ConsumerTokenOwner(%d): owner = %+v", cr.id, owner)
		}
		buf = strconv.AppendInt(append(buf[:0], prefix...), int64(i)+1e15, 10)
		if err := s.UseNonce(ctx, c.ID, string(buf), 1718000000); err != nil {
			b.Fatalf("UseNonce: %v", err)
		}
		i++
	}
	b.ReportMetric(float64(s.RoundTrips()-before)/float64(b.N), "roundtrips/op")
	verify := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	floor := dbFloor(b, dsn, creds)
	b.ReportMetric(floor, "floor-ns/op")
	b.ReportMetric(verify/floor, "x-db-floor")
}

// dbFloor times the least a database can do for a signed request's two
// round trips, with the store's settings on the store's database: a
// prepared SELECT of one column of a consumer by primary key, and a
// prepared autocommit INSERT of one fresh key into a table of one column,
// the shape of the nonce INSERT without its foreign key and second
// column. It returns nanoseconds per pair, over floorRuns pairs.
func dbFloor(b *testing.B, dsn string, creds []benchCred) float64 {
	b.Helper()
	const floorRuns = 5_000
	ctx := b.Context()
	db, err := sqlstore.OpenPool(dsn)
	if err != nil {
		b.Fatalf("floor: %v", err)
	}
	defer db.Close()
	table := "CREATE TABLE bench_floor (k VARCHAR(64) NOT NULL PRIMARY KEY)"
	if strings.HasPrefix(dsn, "sqlite:") {
		table += " WITHOUT ROWID" // as the store's oauth_nonce
	}
	if _, err := db.ExecContext(ctx, table); err != nil {
		b.Fatalf("floor: %v", err)
	}
	defer func() {
		if _, err := db.ExecContext(ctx, "DROP TABLE bench_floor"); err != nil {
			b.Errorf("floor: %v", err)
		}
	}()
	sel, err := db.PrepareContext(ctx, "SELECT `key` FROM oauth_consumer WHERE entity_id = ?")
	if err != nil {
		b.Fatalf("floor: %v", err)
	}
	defer sel.Close()
	ins, err := db.PrepareContext(ctx, "INSERT INTO bench_floor (k) VALUES (?)")
	if err != nil {
		b.Fatalf("floor: %v", err)
	}
	defer ins.Close()
	prefix := cred(b)[:16]
	buf := make([]byte, 0, 32)
	var key string
	start := time.Now()
	for i := range floorRuns {
		if err := sel.QueryRowContext(ctx, creds[(i*7919)%len(creds)].id).Scan(&key); err != nil {
			b.Fatalf("floor SELECT: %v", err)
		}
		buf = strconv.AppendInt(append(buf[:0], prefix...), int64(i)+1e15, 10)
		if _, err := ins.ExecContext(ctx, string(buf)); err != nil {
			b.Fatalf("floor INSERT: %v", err)
		}
	}
	return float64(time.Since(start).Nanoseconds()) / floorRuns
}

// benchResources are the allow rules of every seeded integration.
var benchResources = []string{"Magento_Catalog::catalog", "Magento_Catalog::products", "Magento_Sales::sales"}

// seedBulk stores n Active integrations with their consumers, access
// tokens, roles and rules in the database of dsn, whose schema the Store
// has created, as Magento's tables hold them. It writes the rows directly,
// in multi-row INSERTs of seedBatch rows, because seeding through the Store
// (five statements an integration) would take longer than the benchmark.
func seedBulk(b *testing.B, dsn string, n int) []benchCred {
	b.Helper()
	driver, name, _ := strings.Cut(dsn, ":")
	db, err := sql.Open(driver, name)
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	defer db.Close()
	ctx := b.Context()
	const at = "2024-06-10 06:13:20.000000"
	creds := make([]benchCred, n)
	for i := range creds {
		creds[i] = benchCred{int64(i + 1), cred(b), cred(b)}
	}
	tables := []struct {
		insert string
		cols   int
		rows   func(cr benchCred) [][]any
	}{
		{"oauth_consumer (entity_id, created_at, updated_at, name, `key`, secret, callback_url, rejected_callback_url)", 8,
			func(cr benchCred) [][]any {
				return [][]any{{cr.id, at, at, "Integration" + strconv.FormatInt(cr.id, 10), cr.key, "s" + cr.key[1:], nil, ""}}
			}},
		{"oauth_token (consumer_id, type, token, secret, verifier, callback_url, revoked, user_type, created_at)", 9,
			func(cr benchCred) [][]any {
				return [][]any{{cr.id, "access", cr.token, "s" + cr.token[1:], "v" + cr.token[1:], oauth.CallbackOOB, 0, 1, at}}
			}},
		{"integration (integration_id, name, email, endpoint, status, consumer_id, created_at, updated_at, setup_type, identity_link_url, all_resources)", 11,
			func(cr benchCred) [][]any {
				return [][]any{{cr.id, "Integration" + strconv.FormatInt(cr.id, 10), "", nil, int64(integration.StatusActive), cr.id, at, at, 0, nil, 0}}
			}},
		{"authorization_role (role_id, parent_id, tree_level, sort_order, role_type, user_id, user_type, role_name)", 8,
			func(cr benchCred) [][]any {
				return [][]any{{cr.id, 0, 1, 0, "U", cr.id, "1", "1" + strconv.FormatInt(cr.id, 10)}}
			}},
		{"authorization_rule (role_id, resource_id, privileges, permission)", 4,
			func(cr benchCred) [][]any {
				rows := make([][]any, len(benchResources))
				for i, r := range benchResources {
					rows[i] = []any{cr.id, r, "", "allow"}
				}
				return rows
			}},
	}
	const seedBatch = 500
	for _, tb := range tables {
		row := "(?" + strings.Repeat(", ?", tb.cols-1) + ")"
		for start := 0; start < n; start += seedBatch {
			var q strings.Builder
			q.WriteString("INSERT INTO " + tb.insert + " VALUES ")
			var args []any
			for _, cr := range creds[start:min(start+seedBatch, n)] {
				for _, r := range tb.rows(cr) {
					if len(args) > 0 {
						q.WriteString(", ")
					}
					q.WriteString(row)
					args = append(args, r...)
				}
			}
			if _, err := db.ExecContext(ctx, q.String(), args...); err != nil {
				b.Fatalf("seed %s: %v", tb.insert, err)
			}
		}
	}
	return creds
}
