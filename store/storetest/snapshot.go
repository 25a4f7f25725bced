package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// State is what a store holds as far as the store interfaces can list it:
// every integration, and the consumer and token row of each. Consumers
// that no integration references and nonces cannot be listed and are not
// in it. Compare two States with go-cmp's cmp.Diff: the fields are
// normalised so that equal stores give equal States (Resources is nil
// when empty, times are in UTC, the maps are never nil).
type State struct {
	// Integrations are ordered by ID.
	Integrations []integration.Integration
	// Consumers are the integrations' consumers, by id.
	Consumers map[int64]oauth.Consumer
	// Tokens are the token rows of those consumers, by consumer id.
	Tokens map[int64]oauth.Token
}

// Snapshot reads the [State] of s through its read methods. An
// integration whose consumer is gone has no entry in Consumers. Snapshot
// is not atomic: take it while no one writes. It returns the first error
// of a read other than store.ErrNotFound.
func Snapshot(ctx context.Context, s Store) (State, error) {
	list, err := s.Integrations(ctx)
	if err != nil {
		return State{}, fmt.Errorf("storetest: snapshot: %w", err)
	}
	st := State{Consumers: map[int64]oauth.Consumer{}, Tokens: map[int64]oauth.Token{}}
	for _, in := range list {
		if len(in.Resources) == 0 {
			in.Resources = nil
		}
		in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
		st.Integrations = append(st.Integrations, in)
		if in.ConsumerID == 0 {
			continue
		}
		c, err := s.Consumer(ctx, in.ConsumerID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return State{}, fmt.Errorf("storetest: snapshot: integration %d: %w", in.ID, err)
		}
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		st.Consumers[c.ID] = c
		tok, err := s.TokenByConsumer(ctx, c.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return State{}, fmt.Errorf("storetest: snapshot: integration %d: %w", in.ID, err)
		}
		tok.CreatedAt = tok.CreatedAt.UTC()
		st.Tokens[c.ID] = tok
	}
	return st, nil
}

// MustSnapshot is [Snapshot] with tb's context; it fails tb at once on an
// error.
func MustSnapshot(tb testing.TB, s Store) State {
	tb.Helper()
	st, err := Snapshot(tb.Context(), s)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}
