package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// The statements of the request-verification path, as sent on the pool.
const (
	consumerTokenQuery = "SELECT " + consumerCols + ", " + tokenCols +
		" FROM oauth_consumer c LEFT JOIN oauth_token t ON t.token = ? WHERE c.`key` = ?"
	// consumerTokenOwnerQuery is consumerTokenQuery with the consumer's
	// integration and its allow rules: one row per rule, with its rule_id.
	// It has no ORDER BY, for which MySQL would build a temporary table and
	// sort it on every call; the caller puts the rules in rule_id order.
	consumerTokenOwnerQuery = "SELECT " + consumerCols + ", " + tokenCols + ", " + integrationCols + ", r.resource_id, r.rule_id" +
		" FROM oauth_consumer c LEFT JOIN oauth_token t ON t.token = ?" +
		" LEFT JOIN integration i ON i.consumer_id = c.entity_id" + grantJoins +
		" WHERE c.`key` = ?"
	useNonceQuery = "INSERT INTO oauth_nonce (nonce, `timestamp`, consumer_id) VALUES (?, ?, ?)"
)

// The SQLite text of the hot reads selects each time column as an
// expression (+col, SQLite's no-op unary plus), which has no declared type:
// modernc.org/sqlite then hands the text over as it is, and timeScan parses
// it in one step, instead of the driver trying one layout after another on
// every DATETIME column of every row (a fifth of the owner read's time).
var (
	sqliteTimeText = strings.NewReplacer("c.created_at", "+c.created_at", "c.updated_at", "+c.updated_at",
		"t.created_at", "+t.created_at", "i.created_at", "+i.created_at", "i.updated_at", "+i.updated_at")
	sqliteConsumerTokenQuery      = sqliteTimeText.Replace(consumerTokenQuery)
	sqliteConsumerTokenOwnerQuery = sqliteTimeText.Replace(consumerTokenOwnerQuery)
)

// consumerTokenQuery is d's text of consumerTokenQuery.
func (d dialect) consumerTokenQuery() string {
	if d == dialectSQLite {
		return sqliteConsumerTokenQuery
	}
	return consumerTokenQuery
}

// consumerTokenOwnerQuery is d's text of consumerTokenOwnerQuery.
func (d dialect) consumerTokenOwnerQuery() string {
	if d == dialectSQLite {
		return sqliteConsumerTokenOwnerQuery
	}
	return consumerTokenOwnerQuery
}

// prepared is the pool's querier with the hot statements prepared once:
// a query that is one of them runs as its *sql.Stmt (database/sql prepares
// it again on each new connection), any other as sent. It is used with
// SQLite, where parsing a statement costs as much as running it; with
// MySQL arguments are interpolated client side, so a statement is one
// round trip as it is, and a prepared one would add a round trip for each
// new connection.
type prepared struct {
	db    *sql.DB
	stmts map[string]*sql.Stmt // read-only after newPrepared
}

// newPrepared prepares queries on db.
func newPrepared(ctx context.Context, db *sql.DB, queries ...string) (prepared, error) {
	p := prepared{db: db, stmts: make(map[string]*sql.Stmt, len(queries))}
	for _, q := range queries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return prepared{}, errors.Join(err, p.close())
		}
		p.stmts[q] = st
	}
	return p, nil
}

// close closes the prepared statements.
func (p prepared) close() error {
	var errs []error
	for _, st := range p.stmts {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

func (p prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.stmts[query]; st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.db.ExecContext(ctx, query, args...)
}

func (p prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmts[query]; st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmts[query]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}
