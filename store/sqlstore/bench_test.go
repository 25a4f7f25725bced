package sqlstore_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
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
// reports the database round trips per op.
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
