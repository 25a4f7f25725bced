package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-sql-driver/mysql"

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
	s, err := sqlstore.Open(context.Background(), dsn)
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
