package sqlstore

import (
	"database/sql"
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSQLiteDSN(t *testing.T) {
	for _, tc := range []struct {
		name, in    string
		wantPragmas []string
		wantParams  map[string]string
	}{
		{"plain path", "/tmp/a.db", sqlitePragmas, map[string]string{"_txlock": "immediate"}},
		{"caller's params kept", "/tmp/a.db?_pragma=cache_size(-20000)&_time_format=sqlite",
			append([]string{"cache_size(-20000)"}, sqlitePragmas...), map[string]string{"_time_format": "sqlite"}},
		{"store's pragmas win", "/tmp/a.db?_pragma=journal_mode(DELETE)&_pragma=foreign_keys=0&_fk=0&_txlock=deferred",
			sqlitePragmas, map[string]string{"_txlock": "immediate", "_fk": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sqliteDSN(tc.in)
			if err != nil {
				t.Fatalf("sqliteDSN(%q) = %v", tc.in, err)
			}
			path, query, _ := strings.Cut(got, "?")
			if want, _, _ := strings.Cut(tc.in, "?"); path != want {
				t.Errorf("sqliteDSN(%q) path = %q, want %q", tc.in, path, want)
			}
			q, err := url.ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(q["_pragma"], tc.wantPragmas) {
				t.Errorf("sqliteDSN(%q) pragmas = %q, want %q", tc.in, q["_pragma"], tc.wantPragmas)
			}
			for k, v := range tc.wantParams {
				if q.Get(k) != v {
					t.Errorf("sqliteDSN(%q) %s = %q, want %q", tc.in, k, q.Get(k), v)
				}
			}
		})
	}
}

func TestOpenBadDSN(t *testing.T) {
	for _, dsn := range []string{"", "memory", "postgres:x", "sqlite:", "sqlite::memory:", "sqlite:file:x?mode=memory",
		"mysql:", "mysql:root@tcp(127.0.0.1:1)/", "mysql:%%%"} {
		if s, err := Open(t.Context(), dsn); err == nil {
			s.Close()
			t.Errorf("Open(%q) = nil error, want one", dsn)
		}
	}
}

func TestMySQLConfig(t *testing.T) {
	cfg, err := mysqlConfig("u:p@unix(/run/mysqld.sock)/db?loc=Local&parseTime=false&collation=latin1_swedish_ci")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.ParseTime || cfg.Loc != time.UTC || !cfg.ClientFoundRows || !cfg.InterpolateParams ||
		!strings.HasPrefix(cfg.Collation, "utf8mb4") || cfg.Params["sql_mode"] == "" {
		t.Errorf("mysqlConfig = %+v: the store's settings are not forced", cfg)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	for _, in := range []time.Time{
		{},
		time.Date(2024, 6, 10, 6, 13, 20, 0, time.UTC),
		time.Date(2024, 6, 10, 8, 13, 20, 123456789, time.FixedZone("CEST", 7200)),
	} {
		var got time.Time
		if err := (timeScan{&got}).Scan(dbTime(in)); err != nil {
			t.Fatalf("Scan(dbTime(%v)): %v", in, err)
		}
		if want := in.Truncate(time.Microsecond); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Scan(dbTime(%v)) = %v, want %v in UTC", in, got, want)
		}
	}
}

// TestCheckFindsOrphans plants rows that the foreign keys would refuse, by
// a connection without them, and expects Check to name each kind.
func TestCheckFindsOrphans(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "orphans.db")
	s, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(ctx); err != nil {
		t.Fatalf("Check(empty) = %v", err)
	}
	raw, err := sql.Open("sqlite", path) // foreign_keys off
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		"INSERT INTO oauth_token (consumer_id, type, token, secret, callback_url) VALUES (42, 'access', 't', 's', 'oob')",
		"INSERT INTO oauth_nonce (nonce, `timestamp`, consumer_id) VALUES ('n', 1, 42)",
		"INSERT INTO integration (name, status, consumer_id) VALUES ('x', 0, 42)",
		"INSERT INTO authorization_rule (role_id, resource_id) VALUES (42, 'Magento_Backend::all')",
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	err = s.Check(ctx)
	if !errors.Is(err, ErrInconsistent) {
		t.Fatalf("Check = %v, want ErrInconsistent", err)
	}
	for _, want := range []string{"foreign_key_check", "integration without its consumer", "integration without its ACL role",
		"ACL rule without its role", "token without its consumer", "nonces of a missing consumer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check = %v, want a finding %q", err, want)
		}
	}
}

// TestTimeParseFractions checks that stored times parse with any number of
// fractional digits, or none, as the scanner's doc says.
func TestTimeParseFractions(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2024-06-10 06:13:20":           time.Date(2024, 6, 10, 6, 13, 20, 0, time.UTC),
		"2024-06-10 06:13:20.1":         time.Date(2024, 6, 10, 6, 13, 20, 100_000_000, time.UTC),
		"2024-06-10 06:13:20.123":       time.Date(2024, 6, 10, 6, 13, 20, 123_000_000, time.UTC),
		"2024-06-10 06:13:20.123456":    time.Date(2024, 6, 10, 6, 13, 20, 123_456_000, time.UTC),
		"2024-06-10 08:13:20.5+02:00":   time.Date(2024, 6, 10, 6, 13, 20, 500_000_000, time.UTC),
		"2024-06-10 06:13:20.123456789": time.Date(2024, 6, 10, 6, 13, 20, 123_456_789, time.UTC),
	} {
		var got time.Time
		if err := (timeScan{&got}).Scan(in); err != nil {
			t.Errorf("Scan(%q): %v", in, err)
		} else if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Scan(%q) = %v, want %v in UTC", in, got, want)
		}
	}
	var got time.Time
	if err := (timeScan{&got}).Scan("10/06/2024"); err == nil {
		t.Errorf("Scan(10/06/2024) = %v, want an error", got)
	}
}
