package integration

import (
	"context"

	"github.com/magekit/magekit/oauth"
)

// Reader reads integrations. The rules of [oauth.ConsumerStore] apply:
// safe for concurrent use, copies in and out, store sentinels wrapped.
type Reader interface {
	// Integration returns the integration with id, or store.ErrNotFound.
	Integration(ctx context.Context, id int64) (Integration, error)
	// IntegrationByName returns the integration named name (exact match),
	// or store.ErrNotFound.
	IntegrationByName(ctx context.Context, name string) (Integration, error)
	// IntegrationByConsumer returns the integration whose consumer is
	// consumerID, whatever its status, or store.ErrNotFound.
	IntegrationByConsumer(ctx context.Context, consumerID int64) (Integration, error)
	// Integrations returns every integration ordered by ID.
	Integrations(ctx context.Context) ([]Integration, error)
}

// Writer changes integrations.
type Writer interface {
	// CreateIntegration stores in and sets in.ID to the new, positive id.
	// It returns store.ErrExists if the name is taken, or if in.ConsumerID
	// is not zero and another integration has it, and store.ErrNotFound if
	// in.ConsumerID is not zero and names no consumer (the foreign key of
	// integration.consumer_id).
	CreateIntegration(ctx context.Context, in *Integration) error
	// UpdateIntegration replaces the integration with in.ID. It returns
	// store.ErrNotFound if there is none or if in.ConsumerID is not zero and
	// names no consumer, and store.ErrExists if the name or the consumer id
	// belongs to another integration.
	UpdateIntegration(ctx context.Context, in Integration) error
	// DeleteIntegration removes the integration with id. It returns
	// store.ErrNotFound if there is none. The consumer is not touched.
	DeleteIntegration(ctx context.Context, id int64) error
}

// Store is everything the integration Service keeps: its own records and
// the OAuth provider's. The tx that [oauth.Store.Atomic] hands to its
// function implements Store as well.
type Store interface {
	oauth.Store
	Reader
	Writer
}
