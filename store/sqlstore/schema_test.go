package sqlstore

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magekit/magekit/store"
)

// TestMigrateNonceTable opens a SQLite file of schema version 1 holding a
// nonce and checks that Open moves oauth_nonce to its WITHOUT ROWID layout
// (migration 2) with the nonce still used and the table's rules intact.
func TestMigrateNonceTable(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "v1.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	v1 := append([]string{"CREATE TABLE " + migrationsTable + " (version INTEGER NOT NULL PRIMARY KEY, applied_at DATETIME NOT NULL)"},
		migrations[0].sqlite...)
	v1 = append(v1,
		"INSERT INTO "+migrationsTable+" (version, applied_at) VALUES (1, '2024-06-10 06:13:20.000000')",
		"INSERT INTO oauth_consumer (entity_id, name, `key`, secret) VALUES (7, 'Integration', 'k', 's')",
		"INSERT INTO oauth_nonce (nonce, `timestamp`, consumer_id) VALUES ('n1', 1718000000, 7)")
	for _, stmt := range v1 {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}

	s, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatalf("Open(version 1) = %v", err)
	}
	defer s.Close()
	var ddl string
	if err := raw.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'oauth_nonce'").Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ddl, "WITHOUT ROWID") || !strings.Contains(ddl, "PRIMARY KEY (consumer_id, nonce)") {
		t.Errorf("oauth_nonce after Open = %s, want WITHOUT ROWID keyed by (consumer_id, nonce)", ddl)
	}
	if err := s.UseNonce(ctx, 7, "n1", 1718000001); !errors.Is(err, store.ErrExists) {
		t.Errorf("UseNonce(migrated nonce) = %v, want store.ErrExists", err)
	}
	if err := s.UseNonce(ctx, 7, "n2", 1718000001); err != nil {
		t.Errorf("UseNonce(new nonce) = %v", err)
	}
	if err := s.UseNonce(ctx, 8, "n3", 1718000001); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UseNonce(missing consumer) = %v, want store.ErrNotFound", err)
	}
	if err := s.DeleteConsumer(ctx, 7); err != nil {
		t.Fatalf("DeleteConsumer: %v", err)
	}
	var left int
	if err := raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM oauth_nonce").Scan(&left); err != nil || left != 0 {
		t.Errorf("nonces after DeleteConsumer = %d, %v; want 0 (ON DELETE CASCADE)", left, err)
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("Check after migration = %v", err)
	}
}
