package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/magekit/magekit/store"
)

// dialect is the database engine behind a Store: the few places where the
// SQL or the driver differ.
type dialect int

const (
	dialectSQLite dialect = iota + 1
	dialectMySQL
)

func (d dialect) String() string {
	switch d {
	case dialectSQLite:
		return "sqlite"
	case dialectMySQL:
		return "mysql"
	}
	return "unknown"
}

// busyWait is how long SQLite waits for a lock before it fails with
// SQLITE_BUSY.
const busyWait = 10 * time.Second

// sqlitePragmas are the connection settings every SQLite connection gets:
// a busy timeout first (so the others cannot fail with SQLITE_BUSY), WAL so
// readers do not block the writer, synchronous=NORMAL (durable against a
// killed process; an OS crash may lose the last commits but never corrupts
// the file), foreign keys, which SQLite leaves off by default, and reads of
// the database file through a memory map of up to mmapSize bytes instead
// of a read system call per page that is not in the connection's cache.
// Writes still go through the WAL and checkpoints, so the map changes
// nothing of the above (https://sqlite.org/mmap.html).
var sqlitePragmas = []string{
	"busy_timeout(" + strconv.FormatInt(busyWait.Milliseconds(), 10) + ")",
	"journal_mode(WAL)",
	"synchronous(NORMAL)",
	"foreign_keys(1)",
	"mmap_size(" + strconv.Itoa(mmapSize) + ")",
}

// mmapSize is the most of a SQLite file that a connection maps: address
// space, not memory, which the kernel's page cache backs.
const mmapSize = 1 << 30

// openDSN parses Open's dsn and opens the pool, without touching the
// database yet.
func openDSN(dsn string) (*sql.DB, dialect, error) {
	scheme, rest, ok := strings.Cut(dsn, ":")
	if !ok {
		return nil, 0, fmt.Errorf("sqlstore: dsn has no scheme (want sqlite:PATH or mysql:DSN)")
	}
	switch scheme {
	case "sqlite":
		name, err := sqliteDSN(rest)
		if err != nil {
			return nil, 0, err
		}
		db, err := sql.Open("sqlite", name)
		if err != nil {
			return nil, 0, fmt.Errorf("sqlstore: open sqlite: %w", err)
		}
		// Writers are serialised anyway; a few idle connections spare
		// concurrent readers the cost of opening the file again.
		db.SetMaxIdleConns(8)
		return db, dialectSQLite, nil
	case "mysql":
		cfg, err := mysqlConfig(rest)
		if err != nil {
			return nil, 0, err
		}
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, 0, fmt.Errorf("sqlstore: mysql dsn: %w", err)
		}
		db := sql.OpenDB(conn)
		db.SetMaxIdleConns(16)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db, dialectMySQL, nil
	}
	return nil, 0, fmt.Errorf("sqlstore: unknown dsn scheme %q (want sqlite or mysql)", scheme)
}

// sqliteDSN turns PATH[?params] into modernc's DSN with the settings the
// store relies on. The caller's parameters are kept, except pragmas that
// set what sqlitePragmas sets: those are the store's.
func sqliteDSN(s string) (string, error) {
	path, query, _ := strings.Cut(s, "?")
	if path == "" || path == ":memory:" || strings.Contains(query, "mode=memory") {
		return "", fmt.Errorf("sqlstore: sqlite needs a file path (an in-memory database is per connection)")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("sqlstore: sqlite dsn parameters: %w", err)
	}
	var pragmas []string
	for _, p := range q["_pragma"] {
		name, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(p)), "(")
		name, _, _ = strings.Cut(name, "=")
		if !slices.ContainsFunc(sqlitePragmas, func(own string) bool { return strings.HasPrefix(own, strings.TrimSpace(name)+"(") }) {
			pragmas = append(pragmas, p)
		}
	}
	q["_pragma"] = append(pragmas, sqlitePragmas...)
	for _, k := range []string{"_busy_timeout", "_timeout", "_journal_mode", "_journal", "_synchronous", "_sync", "_foreign_keys", "_fk"} {
		q.Del(k)
	}
	// BEGIN IMMEDIATE: a transaction takes the write lock up front, so two
	// transactions never deadlock upgrading a read lock (SQLITE_BUSY).
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode(), nil
}

// mysqlConfig parses a go-sql-driver DSN and forces the settings the store
// relies on.
func mysqlConfig(s string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(s)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: mysql dsn: %w", err)
	}
	if cfg.DBName == "" {
		return nil, fmt.Errorf("sqlstore: mysql dsn names no database")
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	// RowsAffected counts matched rows, not changed ones: an update that
	// writes the same values must not look like a missing row.
	cfg.ClientFoundRows = true
	// Arguments are interpolated client side: one round trip per statement
	// instead of prepare, execute and close.
	cfg.InterpolateParams = true
	if !strings.HasPrefix(cfg.Collation, "utf8mb4") {
		cfg.Collation = "utf8mb4_general_ci"
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	// Strict: a value too long for its column is an error, never silently
	// truncated as Magento's SQL_MODE='' does.
	cfg.Params["sql_mode"] = "'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'"
	return cfg, nil
}

// lockSuffix is appended to the reads of a transaction. In MySQL they lock
// the rows they read (SELECT ... FOR UPDATE), so a read-modify-write inside
// Atomic is not lost to a concurrent writer; SQLite transactions hold the
// database's write lock from BEGIN IMMEDIATE and need nothing.
func (d dialect) lockSuffix() string {
	if d == dialectMySQL {
		return " FOR UPDATE"
	}
	return ""
}

// txOptions are the options of Atomic's transactions. MySQL runs them READ
// COMMITTED: together with the locking reads this serialises writers of a
// row without InnoDB's gap locks, which would turn two concurrent inserts
// after two reads of a missing row into a deadlock.
func (d dialect) txOptions() *sql.TxOptions {
	if d == dialectMySQL {
		return &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	return nil
}

// constraint classifies a driver error: store.ErrExists for a unique or
// primary key violation, store.ErrNotFound for a foreign key violation (the
// referenced consumer does not exist), nil for anything else.
func (d dialect) constraint(err error) error {
	switch d {
	case dialectSQLite:
		var se *sqlite.Error
		if !errors.As(err, &se) {
			return nil
		}
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return store.ErrExists
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return store.ErrNotFound
		}
	case dialectMySQL:
		var me *mysql.MySQLError
		if !errors.As(err, &me) {
			return nil
		}
		switch me.Number {
		case 1062, 1586: // ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME
			return store.ErrExists
		case 1452, 1216: // ER_NO_REFERENCED_ROW_2, ER_NO_REFERENCED_ROW
			return store.ErrNotFound
		}
	}
	return nil
}

// busy reports a SQLite error that says another connection holds a lock
// (SQLITE_BUSY or SQLITE_LOCKED, with any extended code).
func (d dialect) busy(err error) bool {
	var se *sqlite.Error
	if d != dialectSQLite || !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// deadlock reports whether err is MySQL's ER_LOCK_DEADLOCK (1213): InnoDB
// rolled the transaction back to break a lock cycle, and running it again
// is the documented remedy.
func (d dialect) deadlock(err error) bool {
	var me *mysql.MySQLError
	return d == dialectMySQL && errors.As(err, &me) && me.Number == 1213
}
