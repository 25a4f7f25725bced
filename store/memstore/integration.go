package memstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store"
)

// clone copies in with its own Resources slice, so neither side can change
// the other's.
func clone(in integration.Integration) integration.Integration {
	in.Resources = slices.Clone(in.Resources)
	return in
}

// integrationConstraints checks in against the constraints of Magento's
// integration table: no other row holds its name or consumer, and its
// consumer, if any, exists.
func (t *tx) integrationConstraints(in *integration.Integration) error {
	if k, ok := integrationName(in); ok {
		if other := t.integrationByName(k); other != nil && other.ID != in.ID {
			return fmt.Errorf("memstore: integration name: %w", store.ErrExists)
		}
	}
	if k, ok := integrationConsumer(in); ok {
		if other := t.integrationByConsumer(k); other != nil && other.ID != in.ID {
			return fmt.Errorf("memstore: integration consumer: %w", store.ErrExists)
		}
		// integration.consumer_id references oauth_consumer: an id of no
		// consumer is refused as sqlstore's foreign key refuses it.
		if t.consumerByID(k) == nil {
			return fmt.Errorf("memstore: integration consumer %d: %w", k, store.ErrNotFound)
		}
	}
	return nil
}

func (t *tx) CreateIntegration(ctx context.Context, in *integration.Integration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rec := clone(*in)
	rec.ID = 0
	if err := t.integrationConstraints(&rec); err != nil {
		return err
	}
	rec.ID = t.seq.integration.Add(1)
	if err := t.txn.Insert(tableIntegration, &rec); err != nil {
		return fmt.Errorf("memstore: insert integration: %w", err)
	}
	t.indexIntegration(nil, &rec)
	in.ID = rec.ID
	return nil
}

// integrationRow returns the stored row with id, or nil.
func (t *tx) integrationRow(id int64) (*integration.Integration, error) {
	obj, err := t.first(tableIntegration, "id", id)
	if err != nil || obj == nil {
		return nil, err
	}
	return obj.(*integration.Integration), nil
}

// found copies a row found in an index, or reports that there is none.
func found(in *integration.Integration) (integration.Integration, error) {
	if in == nil {
		return integration.Integration{}, errIntegrationNotFound
	}
	return clone(*in), nil
}

// errIntegrationNotFound is a miss, allocated once: the signed requests
// of a consumer without an integration must not cost an error value each.
var errIntegrationNotFound = fmt.Errorf("memstore: integration: %w", store.ErrNotFound)

func (t *tx) Integration(ctx context.Context, id int64) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	in, err := t.integrationRow(id)
	if err != nil {
		return integration.Integration{}, err
	}
	return found(in)
}

func (t *tx) IntegrationByName(ctx context.Context, name string) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	return found(t.integrationByName(name))
}

func (t *tx) IntegrationByConsumer(ctx context.Context, consumerID int64) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	if consumerID == 0 {
		return found(nil)
	}
	return found(t.integrationByConsumer(consumerID))
}

func (t *tx) Integrations(ctx context.Context) ([]integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	it, err := t.txn.Get(tableIntegration, "id")
	if err != nil {
		return nil, fmt.Errorf("memstore: list integrations: %w", err)
	}
	var out []integration.Integration
	for obj := it.Next(); obj != nil; obj = it.Next() {
		out = append(out, clone(*obj.(*integration.Integration)))
	}
	return out, nil
}

func (t *tx) UpdateIntegration(ctx context.Context, in integration.Integration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cur, err := t.integrationRow(in.ID)
	if err != nil {
		return err
	}
	if cur == nil {
		return errIntegrationNotFound
	}
	rec := clone(in)
	if err := t.integrationConstraints(&rec); err != nil {
		return err
	}
	if err := t.txn.Insert(tableIntegration, &rec); err != nil {
		return fmt.Errorf("memstore: update integration: %w", err)
	}
	t.indexIntegration(cur, &rec)
	return nil
}

func (t *tx) DeleteIntegration(ctx context.Context, id int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cur, err := t.integrationRow(id)
	if err != nil {
		return err
	}
	if cur == nil {
		return errIntegrationNotFound
	}
	if err := t.txn.Delete(tableIntegration, cur); err != nil {
		return fmt.Errorf("memstore: delete integration %d: %w", id, err)
	}
	t.indexIntegration(cur, nil)
	return nil
}

// CreateIntegration implements [integration.Writer].
func (s *Store) CreateIntegration(ctx context.Context, in *integration.Integration) error {
	return s.write(ctx, func(t *tx) error { return t.CreateIntegration(ctx, in) })
}

// UpdateIntegration implements [integration.Writer].
func (s *Store) UpdateIntegration(ctx context.Context, in integration.Integration) error {
	return s.write(ctx, func(t *tx) error { return t.UpdateIntegration(ctx, in) })
}

// DeleteIntegration implements [integration.Writer].
func (s *Store) DeleteIntegration(ctx context.Context, id int64) error {
	return s.write(ctx, func(t *tx) error { return t.DeleteIntegration(ctx, id) })
}

// Integration implements [integration.Reader].
func (s *Store) Integration(ctx context.Context, id int64) (in integration.Integration, err error) {
	err = s.read(ctx, func(t *tx) error { in, err = t.Integration(ctx, id); return err })
	return in, err
}

// IntegrationByName implements [integration.Reader].
func (s *Store) IntegrationByName(ctx context.Context, name string) (in integration.Integration, err error) {
	err = s.read(ctx, func(t *tx) error { in, err = t.IntegrationByName(ctx, name); return err })
	return in, err
}

// IntegrationByConsumer implements [integration.Reader].
// It reads an index (index.go) under a shared lock, without a go-memdb
// transaction: a signed request learns who signed it here.
func (s *Store) IntegrationByConsumer(ctx context.Context, consumerID int64) (integration.Integration, error) {
	return (&tx{idx: s.idx}).IntegrationByConsumer(ctx, consumerID)
}

// Integrations implements [integration.Reader].
func (s *Store) Integrations(ctx context.Context) (out []integration.Integration, err error) {
	err = s.read(ctx, func(t *tx) error { out, err = t.Integrations(ctx); return err })
	return out, err
}
