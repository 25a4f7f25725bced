package memstore

import (
	"context"
	"slices"
)

// ConsumerIDs returns the id of every consumer, ascending, whether an
// integration has it or not. The integration Service's Reset uses it to
// remove the consumers that a re-created config integration left behind.
func (s *Store) ConsumerIDs(ctx context.Context) (ids []int64, err error) {
	err = s.read(ctx, func(t *tx) error { ids, err = t.ConsumerIDs(ctx); return err })
	return ids, err
}

// ConsumerIDs is [Store.ConsumerIDs] inside a transaction.
func (t *tx) ConsumerIDs(ctx context.Context) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.idx.mu.RLock()
	ids := keys(t.idx.committed.consumerByID, t.pending.consumerByID)
	t.idx.mu.RUnlock()
	if len(ids) == 0 {
		return nil, nil
	}
	slices.Sort(ids)
	return ids, nil
}
