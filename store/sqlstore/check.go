package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInconsistent is wrapped by every finding of [Store.Check].
var ErrInconsistent = errors.New("sqlstore: inconsistent")

// consistencyRules are Check's queries: each selects the ids of the rows
// that break one invariant.
var consistencyRules = []struct{ what, query string }{
	{"integration without its consumer", `SELECT i.integration_id FROM integration i
		LEFT JOIN oauth_consumer c ON c.entity_id = i.consumer_id
		WHERE c.entity_id IS NULL ORDER BY i.integration_id`},
	{"integration without its ACL role", `SELECT i.integration_id FROM integration i
		LEFT JOIN authorization_role ro ON ro.user_type = '1' AND ro.user_id = i.integration_id
		WHERE ro.role_id IS NULL ORDER BY i.integration_id`},
	{"integration role without its integration", `SELECT ro.role_id FROM authorization_role ro
		LEFT JOIN integration i ON i.integration_id = ro.user_id
		WHERE ro.user_type = '1' AND i.integration_id IS NULL ORDER BY ro.role_id`},
	{"ACL rule without its role", `SELECT r.rule_id FROM authorization_rule r
		LEFT JOIN authorization_role ro ON ro.role_id = r.role_id
		WHERE ro.role_id IS NULL ORDER BY r.rule_id`},
	{"token without its consumer", `SELECT t.entity_id FROM oauth_token t
		LEFT JOIN oauth_consumer c ON c.entity_id = t.consumer_id
		WHERE c.entity_id IS NULL ORDER BY t.entity_id`},
	{"nonces of a missing consumer", `SELECT DISTINCT n.consumer_id FROM oauth_nonce n
		LEFT JOIN oauth_consumer c ON c.entity_id = n.consumer_id
		WHERE c.entity_id IS NULL ORDER BY n.consumer_id`},
}

// Check verifies the invariants that the integration Service keeps, over
// one read-only snapshot: every integration has its consumer and its ACL
// role; every integration role, rule, token row and nonce has what it
// belongs to. With SQLite it also runs PRAGMA integrity_check and
// foreign_key_check. Each finding is an error wrapping [ErrInconsistent],
// naming up to ten row ids; they are joined with errors.Join. Check
// returns nil for a consistent database.
//
// A store used through the plain store interfaces can legitimately fail
// the first rule: an integration created without a consumer, or one whose
// consumer was deleted alone (its consumer_id becomes NULL).
func (s *Store) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	stx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlstore: check: begin: %w", err)
	}
	defer stx.Rollback()
	var findings []error
	if s.dialect == dialectSQLite {
		for _, pragma := range []string{"integrity_check", "foreign_key_check"} {
			bad, err := sqliteCheck(ctx, stx, pragma)
			if err != nil {
				return err
			}
			if bad != "" {
				findings = append(findings, fmt.Errorf("%w: %s: %s", ErrInconsistent, pragma, bad))
			}
		}
	}
	for _, r := range consistencyRules {
		ids, n, err := firstIDs(ctx, stx, r.query, 10)
		if err != nil {
			return fmt.Errorf("sqlstore: check %s: %w", r.what, err)
		}
		if n > 0 {
			findings = append(findings, fmt.Errorf("%w: %d × %s (ids %s)", ErrInconsistent, n, r.what, ids))
		}
	}
	return errors.Join(findings...)
}

// firstIDs runs query and returns the first limit ids it selects, as text,
// and how many it selects.
func firstIDs(ctx context.Context, q querier, query string, limit int) (string, int, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	var (
		ids []string
		n   int
	)
	for rows.Next() {
		var id int64
		if err := rows.Scan(intScan[int64]{&id}); err != nil {
			return "", 0, err
		}
		if n < limit {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		n++
	}
	if n > limit {
		ids = append(ids, "...")
	}
	return strings.Join(ids, ", "), n, rows.Err()
}

// sqliteCheck runs PRAGMA name and returns its complaints, or "" when it
// has none (integrity_check answers "ok", foreign_key_check no rows).
func sqliteCheck(ctx context.Context, q querier, name string) (string, error) {
	rows, err := q.QueryContext(ctx, "PRAGMA "+name)
	if err != nil {
		return "", fmt.Errorf("sqlstore: check: %s: %w", name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", fmt.Errorf("sqlstore: check: %s: %w", name, err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			return "", fmt.Errorf("sqlstore: check: %s: %w", name, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprint(*v.(*any))
		}
		line := strings.Join(parts, " ")
		if line != "ok" && len(out) < 10 {
			out = append(out, line)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("sqlstore: check: %s: %w", name, err)
	}
	return strings.Join(out, "; "), nil
}
