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

func (t *tx) integrationUnique(in integration.Integration) error {
	obj, err := t.first(tableIntegration, "name", in.Name)
	if err != nil {
		return err
	}
	if obj != nil && obj.(*integration.Integration).ID != in.ID {
		return fmt.Errorf("memstore: integration name: %w", store.ErrExists)
	}
	if in.ConsumerID == 0 {
		return nil
	}
	obj, err = t.first(tableIntegration, "consumer", in.ConsumerID)
	if err != nil {
		return err
	}
	if obj != nil && obj.(*integration.Integration).ID != in.ID {
		return fmt.Errorf("memstore: integration consumer: %w", store.ErrExists)
	}
	return nil
}

func (t *tx) CreateIntegration(ctx context.Context, in *integration.Integration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rec := clone(*in)
	rec.ID = 0
	if err := t.integrationUnique(rec); err != nil {
		return err
	}
	rec.ID = t.seq.integration.Add(1)
	if err := t.txn.Insert(tableIntegration, &rec); err != nil {
		return fmt.Errorf("memstore: insert integration: %w", err)
	}
	in.ID = rec.ID
	return nil
}

func (t *tx) integration(index string, arg any) (integration.Integration, error) {
	obj, err := t.first(tableIntegration, index, arg)
	if err != nil {
		return integration.Integration{}, err
	}
	if obj == nil {
		return integration.Integration{}, fmt.Errorf("memstore: integration: %w", store.ErrNotFound)
	}
	return clone(*obj.(*integration.Integration)), nil
}

func (t *tx) Integration(ctx context.Context, id int64) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	return t.integration("id", id)
}

func (t *tx) IntegrationByName(ctx context.Context, name string) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	return t.integration("name", name)
}

func (t *tx) IntegrationByConsumer(ctx context.Context, consumerID int64) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	if consumerID == 0 {
		return integration.Integration{}, fmt.Errorf("memstore: integration of consumer 0: %w", store.ErrNotFound)
	}
	return t.integration("consumer", consumerID)
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
	if _, err := t.Integration(ctx, in.ID); err != nil {
		return err
	}
	rec := clone(in)
	if err := t.integrationUnique(rec); err != nil {
		return err
	}
	if err := t.txn.Insert(tableIntegration, &rec); err != nil {
		return fmt.Errorf("memstore: update integration: %w", err)
	}
	return nil
}

func (t *tx) DeleteIntegration(ctx context.Context, id int64) error {
	in, err := t.Integration(ctx, id)
	if err != nil {
		return err
	}
	if err := t.txn.Delete(tableIntegration, &in); err != nil {
		return fmt.Errorf("memstore: delete integration %d: %w", id, err)
	}
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
// It reads the credential cache (creds.go), not a go-memdb transaction.
func (s *Store) IntegrationByConsumer(ctx context.Context, consumerID int64) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	in := s.creds.integration(consumerID)
	if in == nil {
		return integration.Integration{}, fmt.Errorf("memstore: integration of consumer %d: %w", consumerID, store.ErrNotFound)
	}
	return clone(*in), nil
}

// Integrations implements [integration.Reader].
func (s *Store) Integrations(ctx context.Context) (out []integration.Integration, err error) {
	err = s.read(ctx, func(t *tx) error { out, err = t.Integrations(ctx); return err })
	return out, err
}
