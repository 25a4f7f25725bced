package integration_test

import (
	"errors"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store"
)

// TestIdentity checks Identity: the integration of a consumer with its
// compiled grant, recompiled when the grant changes, tolerant of ids the
// tree no longer knows, and store.ErrNotFound for an unknown consumer.
func TestIdentity(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", Resources: []string{"Magento_Catalog::products"}})
	if err != nil {
		t.Fatal(err)
	}
	allowed := func(want map[string]bool) {
		t.Helper()
		got, set, err := svc.Identity(ctx, in.ConsumerID)
		if err != nil || got.ID != in.ID {
			t.Fatalf("Identity(%d) = integration %d, %v; want %d", in.ConsumerID, got.ID, err, in.ID)
		}
		for id, w := range want {
			if set.Allowed(id) != w {
				t.Errorf("Allowed(%s) = %v, want %v", id, !w, w)
			}
		}
	}
	allowed(map[string]bool{"Magento_Catalog::products": true, "Magento_Sales::sales": false, "Magento_Backend::admin": true})

	// A changed grant is recompiled, not served from the cache.
	in.Resources = []string{"Magento_Sales::sales"}
	if in, err = svc.Update(ctx, in); err != nil {
		t.Fatal(err)
	}
	allowed(map[string]bool{"Magento_Catalog::products": false, "Magento_Sales::sales": true})
	in.AllResources, in.Resources = true, nil
	if in, err = svc.Update(ctx, in); err != nil {
		t.Fatal(err)
	}
	allowed(map[string]bool{"Magento_Catalog::products": true, "Acme_Unknown::x": true})

	// A grant stored under another tree: the unknown id is skipped, the
	// known one still works, and an unknown resource is denied as in any
	// Custom grant.
	in.AllResources, in.Resources = false, []string{"Magento_Catalog::products", "Acme_Removed::feature"}
	if err := s.UpdateIntegration(ctx, in); err != nil {
		t.Fatal(err)
	}
	allowed(map[string]bool{"Magento_Catalog::products": true, "Acme_Removed::feature": false, "Magento_Sales::sales": false})

	if _, _, err := svc.Identity(ctx, in.ConsumerID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Identity(unknown consumer) = %v, want store.ErrNotFound", err)
	}
}
