package sqlstore

import (
	"context"
	"fmt"
)

// ConsumerIDs returns the id of every consumer, ascending, whether an
// integration has it or not. The integration Service's Reset uses it to
// remove the consumers that a re-created config integration left behind.
func (s *Store) ConsumerIDs(ctx context.Context) ([]int64, error) {
	return s.plain.ConsumerIDs(ctx)
}

// ConsumerIDs is [Store.ConsumerIDs] inside a transaction.
func (t *tx) ConsumerIDs(ctx context.Context) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := t.q.QueryContext(ctx, "SELECT entity_id FROM oauth_consumer ORDER BY entity_id"+t.lock)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: consumers: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlstore: consumers: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: consumers: %w", err)
	}
	return ids, nil
}
