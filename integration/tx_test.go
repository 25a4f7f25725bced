package integration_test

import (
	"context"
	"strings"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

// narrowTx is a backend whose transaction is only an oauth.Store, breaking
// the contract that store/storetest's AtomicTxIsIntegrationStore checks.
type narrowTx struct{ integration.Store }

func (n narrowTx) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	return n.Store.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		return fn(ctx, struct{ oauth.Store }{tx})
	})
}

// TestNarrowTransaction checks that such a backend gets an error naming the
// broken contract, not a panic, and that nothing is stored.
func TestNarrowTransaction(t *testing.T) {
	_, st := newService(t, integration.Config{})
	svc := integration.NewService(narrowTx{st}, integration.Config{})
	_, err := svc.Create(t.Context(), integration.Integration{Name: "ERP"})
	if err == nil || !strings.Contains(err.Error(), "does not implement integration.Store") {
		t.Fatalf("Create over a narrow transaction = %v, want the contract error", err)
	}
	if err := svc.OnAccess(t.Context(), struct{ oauth.Store }{st}, 1); err == nil {
		t.Error("OnAccess over a narrow transaction succeeded")
	}
	if list, err := st.Integrations(t.Context()); err != nil || len(list) != 0 {
		t.Errorf("integrations after the failed create = %v, %v; want none", list, err)
	}
}
