package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migration is one numbered step of the schema. Its statements are
// idempotent (IF NOT EXISTS), so a step that MySQL applied only in part
// (its DDL is not transactional) can run again.
type migration struct {
	version int
	sqlite  []string
	mysql   []string
}

// migrationsTable records the applied steps. It is not called
// schema_migrations so that a database shared with a migration tool of
// that name is not confused.
const migrationsTable = "magekit_migrations"

// mysqlTable is the suffix of every MySQL table.
const mysqlTable = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"

// migrations is the schema, modelled on Magento's own tables (docs/magento-behaviour.md §1.1,
// §2.1, §3.1, §4, §10.1); doc.go lists the deviations. Append steps; never
// edit one that has shipped.
var migrations = []migration{{
	version: 1,
	sqlite: []string{
		`CREATE TABLE IF NOT EXISTS oauth_consumer (
			entity_id INTEGER PRIMARY KEY AUTOINCREMENT,
			created_at DATETIME NULL,
			updated_at DATETIME NULL,
			name TEXT NOT NULL,
			` + "`key`" + ` TEXT NOT NULL,
			secret TEXT NOT NULL,
			callback_url TEXT NULL,
			rejected_callback_url TEXT NOT NULL DEFAULT '',
			CONSTRAINT OAUTH_CONSUMER_KEY UNIQUE (` + "`key`" + `),
			CONSTRAINT OAUTH_CONSUMER_SECRET UNIQUE (secret)
		)`,
		`CREATE TABLE IF NOT EXISTS integration (
			integration_id INTEGER PRIMARY KEY AUTOINCREMENT,
			name TEXT NOT NULL,
			email TEXT NOT NULL DEFAULT '',
			endpoint TEXT NULL,
			status INTEGER NOT NULL,
			consumer_id INTEGER NULL REFERENCES oauth_consumer (entity_id) ON DELETE SET NULL,
			created_at DATETIME NULL,
			updated_at DATETIME NULL,
			setup_type INTEGER NOT NULL DEFAULT 0,
			identity_link_url TEXT NULL,
			all_resources INTEGER NOT NULL DEFAULT 0,
			CONSTRAINT INTEGRATION_NAME UNIQUE (name),
			CONSTRAINT INTEGRATION_CONSUMER_ID UNIQUE (consumer_id)
		)`,
		`CREATE TABLE IF NOT EXISTS oauth_token (
			entity_id INTEGER PRIMARY KEY AUTOINCREMENT,
			consumer_id INTEGER NOT NULL REFERENCES oauth_consumer (entity_id) ON DELETE CASCADE,
			type TEXT NOT NULL,
			token TEXT NOT NULL,
			secret TEXT NOT NULL,
			verifier TEXT NULL,
			callback_url TEXT NOT NULL,
			revoked INTEGER NOT NULL DEFAULT 0,
			authorized INTEGER NOT NULL DEFAULT 0,
			user_type INTEGER NULL,
			created_at DATETIME NULL,
			CONSTRAINT OAUTH_TOKEN_TOKEN UNIQUE (token),
			CONSTRAINT OAUTH_TOKEN_CONSUMER_ID UNIQUE (consumer_id)
		)`,
		`CREATE TABLE IF NOT EXISTS oauth_nonce (
			nonce TEXT NOT NULL,
			` + "`timestamp`" + ` INTEGER NOT NULL,
			consumer_id INTEGER NOT NULL REFERENCES oauth_consumer (entity_id) ON DELETE CASCADE,
			PRIMARY KEY (nonce, consumer_id)
		)`,
		"CREATE INDEX IF NOT EXISTS OAUTH_NONCE_TIMESTAMP ON oauth_nonce (`timestamp`)",
		`CREATE INDEX IF NOT EXISTS OAUTH_NONCE_CONSUMER_ID ON oauth_nonce (consumer_id)`,
		`CREATE TABLE IF NOT EXISTS authorization_role (
			role_id INTEGER PRIMARY KEY AUTOINCREMENT,
			parent_id INTEGER NOT NULL DEFAULT 0,
			tree_level INTEGER NOT NULL DEFAULT 0,
			sort_order INTEGER NOT NULL DEFAULT 0,
			role_type TEXT NOT NULL DEFAULT '0',
			user_id INTEGER NOT NULL DEFAULT 0,
			user_type TEXT NULL,
			role_name TEXT NULL,
			CONSTRAINT AUTHORIZATION_ROLE_USER UNIQUE (user_type, user_id)
		)`,
		`CREATE TABLE IF NOT EXISTS authorization_rule (
			rule_id INTEGER PRIMARY KEY AUTOINCREMENT,
			role_id INTEGER NOT NULL DEFAULT 0 REFERENCES authorization_role (role_id) ON DELETE CASCADE,
			resource_id TEXT NULL,
			privileges TEXT NULL,
			permission TEXT NULL
		)`,
		`CREATE INDEX IF NOT EXISTS AUTHORIZATION_RULE_ROLE_ID ON authorization_rule (role_id, rule_id)`,
	},
	mysql: []string{
		// Keys, secrets, tokens, nonces and names are VARBINARY: compared
		// byte for byte, case and trailing spaces included, as memstore
		// compares them (doc.go: "Collation").
		`CREATE TABLE IF NOT EXISTS oauth_consumer (
			entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
			created_at DATETIME(6) NULL,
			updated_at DATETIME(6) NULL,
			name VARCHAR(255) NOT NULL,
			` + "`key`" + ` VARBINARY(255) NOT NULL,
			secret VARBINARY(255) NOT NULL,
			callback_url TEXT NULL,
			rejected_callback_url TEXT NOT NULL,
			PRIMARY KEY (entity_id),
			UNIQUE KEY OAUTH_CONSUMER_KEY (` + "`key`" + `),
			UNIQUE KEY OAUTH_CONSUMER_SECRET (secret)
		)` + mysqlTable,
		`CREATE TABLE IF NOT EXISTS integration (
			integration_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
			name VARBINARY(1020) NOT NULL,
			email VARCHAR(255) NOT NULL DEFAULT '',
			endpoint TEXT NULL,
			status SMALLINT UNSIGNED NOT NULL,
			consumer_id INT UNSIGNED NULL,
			created_at DATETIME(6) NULL,
			updated_at DATETIME(6) NULL,
			setup_type SMALLINT UNSIGNED NOT NULL DEFAULT 0,
			identity_link_url TEXT NULL,
			all_resources SMALLINT UNSIGNED NOT NULL DEFAULT 0,
			PRIMARY KEY (integration_id),
			UNIQUE KEY INTEGRATION_NAME (name),
			UNIQUE KEY INTEGRATION_CONSUMER_ID (consumer_id),
			CONSTRAINT INTEGRATION_CONSUMER_ID_OAUTH_CONSUMER_ENTITY_ID FOREIGN KEY (consumer_id)
				REFERENCES oauth_consumer (entity_id) ON DELETE SET NULL
		)` + mysqlTable,
		`CREATE TABLE IF NOT EXISTS oauth_token (
			entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
			consumer_id INT UNSIGNED NOT NULL,
			type VARCHAR(16) NOT NULL,
			token VARBINARY(255) NOT NULL,
			secret VARBINARY(255) NOT NULL,
			verifier VARBINARY(255) NULL,
			callback_url TEXT NOT NULL,
			revoked SMALLINT UNSIGNED NOT NULL DEFAULT 0,
			authorized SMALLINT UNSIGNED NOT NULL DEFAULT 0,
			user_type INT NULL,
			created_at DATETIME(6) NULL,
			PRIMARY KEY (entity_id),
			UNIQUE KEY OAUTH_TOKEN_TOKEN (token),
			UNIQUE KEY OAUTH_TOKEN_CONSUMER_ID (consumer_id),
			CONSTRAINT OAUTH_TOKEN_CONSUMER_ID_OAUTH_CONSUMER_ENTITY_ID FOREIGN KEY (consumer_id)
				REFERENCES oauth_consumer (entity_id) ON DELETE CASCADE
		)` + mysqlTable,
		`CREATE TABLE IF NOT EXISTS oauth_nonce (
			nonce VARBINARY(255) NOT NULL,
			` + "`timestamp`" + ` BIGINT NOT NULL,
			consumer_id INT UNSIGNED NOT NULL,
			PRIMARY KEY (nonce, consumer_id),
			KEY OAUTH_NONCE_TIMESTAMP (` + "`timestamp`" + `),
			KEY OAUTH_NONCE_CONSUMER_ID (consumer_id),
			CONSTRAINT OAUTH_NONCE_CONSUMER_ID_OAUTH_CONSUMER_ENTITY_ID FOREIGN KEY (consumer_id)
				REFERENCES oauth_consumer (entity_id) ON DELETE CASCADE
		)` + mysqlTable,
		`CREATE TABLE IF NOT EXISTS authorization_role (
			role_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
			parent_id INT UNSIGNED NOT NULL DEFAULT 0,
			tree_level SMALLINT UNSIGNED NOT NULL DEFAULT 0,
			sort_order SMALLINT UNSIGNED NOT NULL DEFAULT 0,
			role_type VARCHAR(1) NOT NULL DEFAULT '0',
			user_id INT UNSIGNED NOT NULL DEFAULT 0,
			user_type VARCHAR(16) NULL,
			role_name VARCHAR(50) NULL,
			PRIMARY KEY (role_id),
			UNIQUE KEY AUTHORIZATION_ROLE_USER (user_type, user_id)
		)` + mysqlTable,
		`CREATE TABLE IF NOT EXISTS authorization_rule (
			rule_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
			role_id INT UNSIGNED NOT NULL DEFAULT 0,
			resource_id VARCHAR(255) NULL,
			privileges VARCHAR(20) NULL,
			permission VARCHAR(10) NULL,
			PRIMARY KEY (rule_id),
			KEY AUTHORIZATION_RULE_ROLE_ID (role_id, rule_id),
			CONSTRAINT AUTHORIZATION_RULE_ROLE_ID_AUTHORIZATION_ROLE_ROLE_ID FOREIGN KEY (role_id)
				REFERENCES authorization_role (role_id) ON DELETE CASCADE
		)` + mysqlTable,
	},
}, {
	// SQLite: oauth_nonce becomes a WITHOUT ROWID table keyed by
	// (consumer_id, nonce), which also serves the foreign key's lookups, so
	// recording a nonce writes two B-trees (the table and its timestamp
	// index) instead of four (rowid table, primary key, timestamp and
	// consumer_id indexes): half the pages each nonce's commit appends to
	// the WAL. The step runs in migrate's transaction, so it applies whole
	// or not at all. MySQL's InnoDB table is already clustered on its
	// primary key and keeps Magento's layout.
	version: 2,
	sqlite: []string{
		`CREATE TABLE IF NOT EXISTS oauth_nonce_v2 (
			nonce TEXT NOT NULL,
			` + "`timestamp`" + ` INTEGER NOT NULL,
			consumer_id INTEGER NOT NULL REFERENCES oauth_consumer (entity_id) ON DELETE CASCADE,
			PRIMARY KEY (consumer_id, nonce)
		) WITHOUT ROWID`,
		"INSERT OR IGNORE INTO oauth_nonce_v2 (nonce, `timestamp`, consumer_id) SELECT nonce, `timestamp`, consumer_id FROM oauth_nonce",
		`DROP TABLE oauth_nonce`,
		`ALTER TABLE oauth_nonce_v2 RENAME TO oauth_nonce`,
		"CREATE INDEX IF NOT EXISTS OAUTH_NONCE_TIMESTAMP ON oauth_nonce (`timestamp`)",
	},
}}

// migrate brings the schema up to the last migration. Two processes may
// call it at once on a fresh database: SQLite runs it inside one BEGIN
// IMMEDIATE transaction (the second waits for the first and then finds
// nothing to do), MySQL holds the named lock magekit_migrate around it.
func (s *Store) migrate(ctx context.Context) error {
	switch s.dialect {
	case dialectSQLite:
		tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock)
		if err != nil {
			return fmt.Errorf("sqlstore: migrate: begin: %w", err)
		}
		defer tx.Rollback()
		if err := s.applyMigrations(ctx, tx); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlstore: migrate: commit: %w", err)
		}
		return nil
	case dialectMySQL:
		conn, err := s.db.Conn(ctx) // GET_LOCK belongs to the session
		if err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", err)
		}
		defer conn.Close()
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK('magekit_migrate', 30)").Scan(&got); err != nil {
			return fmt.Errorf("sqlstore: migrate: lock: %w", err)
		}
		if got.Int64 != 1 {
			return fmt.Errorf("sqlstore: migrate: lock magekit_migrate not granted in 30 s")
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "DO RELEASE_LOCK('magekit_migrate')")
		return s.applyMigrations(ctx, conn)
	}
	return fmt.Errorf("sqlstore: migrate: unknown dialect")
}

// applyMigrations runs the steps not recorded in magekit_migrations, each
// followed by its record.
func (s *Store) applyMigrations(ctx context.Context, q querier) error {
	create := "CREATE TABLE IF NOT EXISTS " + migrationsTable +
		" (version INTEGER NOT NULL PRIMARY KEY, applied_at DATETIME NOT NULL)"
	if s.dialect == dialectMySQL {
		create += mysqlTable
	}
	if _, err := q.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	var current sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT MAX(version) FROM "+migrationsTable).Scan(&current); err != nil {
		return fmt.Errorf("sqlstore: migrate: read version: %w", err)
	}
	last := migrations[len(migrations)-1].version
	if int(current.Int64) > last {
		return fmt.Errorf("sqlstore: migrate: database schema version %d is newer than this magekit's %d", current.Int64, last)
	}
	for _, m := range migrations {
		if m.version <= int(current.Int64) {
			continue
		}
		stmts := m.sqlite
		if s.dialect == dialectMySQL {
			stmts = m.mysql
		}
		for _, stmt := range stmts {
			if _, err := q.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sqlstore: migrate to version %d: %w", m.version, err)
			}
		}
		_, err := q.ExecContext(ctx, "INSERT INTO "+migrationsTable+" (version, applied_at) VALUES (?, ?)",
			m.version, dbTime(time.Now()))
		if err != nil {
			return fmt.Errorf("sqlstore: migrate: record version %d: %w", m.version, err)
		}
	}
	return nil
}
