package sqlstore

import "database/sql"

// OpenPool opens a pool for dsn with the settings Open gives the store's
// (SQLite's pragmas, MySQL's connection options), for benchmarks that
// measure the database itself beside the store.
func OpenPool(dsn string) (*sql.DB, error) {
	db, _, err := openDSN(dsn)
	return db, err
}
