package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/sqlstore"
	"github.com/magekit/magekit/store/storetest"
)

func TestConformanceSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		return openStore(t, sqliteDSN(t))
	})
}

func TestConformanceMySQL(t *testing.T) {
	mysqlServer(t) // skip or fail before any subtest
	storetest.Run(t, func(t *testing.T) storetest.Store {
		return openStore(t, mysqlDSN(t))
	})
}

// openStore opens dsn and closes the store when tb ends.
func openStore(tb testing.TB, dsn string) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(tb.Context(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// sqliteDSN returns the dsn of a new SQLite file in tb's temporary
// directory.
func sqliteDSN(tb testing.TB) string {
	return "sqlite:" + filepath.Join(tb.TempDir(), "magekit.db")
}

// mysqlServer returns the parsed MAGEKIT_MYSQL_DSN. Without it the test is
// skipped, or fails when CI=true: in CI the MySQL tests must run (a
// benchmark is always skipped).
func mysqlServer(tb testing.TB) *mysql.Config {
	tb.Helper()
	dsn := os.Getenv("MAGEKIT_MYSQL_DSN")
	if dsn == "" {
		if _, bench := tb.(*testing.B); !bench && os.Getenv("CI") == "true" {
			tb.Fatal("MySQL tests: MAGEKIT_MYSQL_DSN is not set, and CI=true requires them (source .ci/mariadb.sh start)")
		}
		tb.Skip("MySQL tests: set MAGEKIT_MYSQL_DSN (bash .ci/mariadb.sh start prints one)")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		tb.Fatalf("MAGEKIT_MYSQL_DSN: %v", err)
	}
	return cfg
}

// mysqlDSN creates a fresh database magekit_test_<random> on the server of
// MAGEKIT_MYSQL_DSN, drops it when tb ends, and returns its dsn.
func mysqlDSN(tb testing.TB) string {
	tb.Helper()
	cfg := mysqlServer(tb)
	var b [6]byte
	rand.Read(b[:])
	name := "magekit_test_" + hex.EncodeToString(b[:])
	server := cfg.Clone()
	server.DBName = ""
	db, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		tb.Fatalf("mysql: %v", err)
	}
	if _, err := db.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		db.Close()
		tb.Fatalf("mysql: create database: %v", err)
	}
	tb.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			tb.Errorf("mysql: drop database %s: %v", name, err)
		}
	})
	cfg = cfg.Clone()
	cfg.DBName = name
	return "mysql:" + cfg.FormatDSN()
}

// TestDeadlockRetried makes two MySQL transactions lock two consumer rows
// in opposite orders, so that InnoDB ends one of them with a deadlock:
// Atomic runs the loser again, and both succeed.
func TestDeadlockRetried(t *testing.T) {
	mysqlServer(t)
	s := openStore(t, mysqlDSN(t))
	ctx := t.Context()
	var ids [2]int64
	for i := range ids {
		c := oauth.Consumer{Name: fmt.Sprintf("Integration%d", i+1), Key: cred(t), Secret: cred(t)}
		if err := s.CreateConsumer(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	// Both transactions take their first lock before either asks for its
	// second; a retry does not wait again.
	var holding sync.WaitGroup
	holding.Add(2)
	attempts := make([]atomic.Int32, 2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, second := ids[w], ids[1-w]
			errs[w] = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
				c, err := tx.Consumer(ctx, first) // SELECT ... FOR UPDATE
				if err != nil {
					return err
				}
				if attempts[w].Add(1) == 1 {
					holding.Done()
					holding.Wait()
				}
				if _, err := tx.Consumer(ctx, second); err != nil {
					return err
				}
				c.Name += "!"
				return tx.UpdateConsumer(ctx, c)
			})
		}()
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", w, err)
		}
	}
	if n := attempts[0].Load() + attempts[1].Load(); n < 3 {
		t.Errorf("%d attempts in all, want at least 3: no deadlock happened, so the retry went untested", n)
	}
}
