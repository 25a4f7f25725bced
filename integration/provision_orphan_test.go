package integration_test

import (
	"errors"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store"
)

// TestResetRemovesOrphanedConsumers checks that the consumer a re-created
// config integration leaves behind (as Magento leaves it) is gone after
// Service.Reset, with its access token, while Delete of a manual
// integration removes its consumer at once.
func TestResetRemovesOrphanedConsumers(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	first := provision(t, svc, acmeSync()).Integrations[0]
	old, err := svc.Get(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	token := completeHandshake(t, svc, s, old)
	changed := acmeSync()
	changed.Email = "new@acme.example"
	if p := provision(t, svc, changed).Integrations[0]; p.Outcome != integration.OutcomeReset {
		t.Fatalf("Provision = %+v, want Reset", p)
	}
	if _, err := s.Consumer(ctx, old.ConsumerID); err != nil {
		t.Fatalf("orphaned consumer: %v, want kept", err)
	}

	manual, err := svc.Create(ctx, integration.Integration{Name: "Manual", AllResources: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Delete(ctx, manual.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Consumer(ctx, manual.ConsumerID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("consumer of a deleted manual integration: %v, want store.ErrNotFound", err)
	}

	if err := svc.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Consumer(ctx, old.ConsumerID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("orphaned consumer after Reset: %v, want store.ErrNotFound", err)
	}
	if _, err := s.TokenByValue(ctx, token); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("orphaned token after Reset: %v, want store.ErrNotFound", err)
	}
}
