package integration_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integration/xmlconfig"
)

func TestProvisionLegacy(t *testing.T) {
	legacy := func() xmlconfig.Integration {
		return xmlconfig.Integration{Name: "AcmeLegacy", Email: "ops@acme.example",
			Resources: []string{"Magento_Catalog::products", "Acme_Legacy::unknown", "Magento_Catalog::products"}}
	}
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	res, err := svc.ProvisionLegacy(ctx, []xmlconfig.Integration{legacy()})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Integrations[0]
	if p.Outcome != integration.OutcomeCreated || !cmp.Equal(p.Dropped, []string{"Acme_Legacy::unknown"}) {
		t.Fatalf("ProvisionLegacy = %+v, want Created, Acme_Legacy::unknown dropped", p)
	}
	in, err := svc.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	// No expansion: the parent is not granted.
	if diff := cmp.Diff([]string{"Magento_Catalog::products"}, in.Resources); diff != "" ||
		in.SetupType != integration.SetupConfig || in.Status != integration.StatusInactive {
		t.Fatalf("legacy integration: setup %v status %v resources (-want +got):\n%s", in.SetupType, in.Status, diff)
	}
	act, err := svc.Activate(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}

	// Same XML: nothing to do.
	res, err = svc.ProvisionLegacy(ctx, []xmlconfig.Integration{legacy()})
	if err != nil || res.Integrations[0].Outcome != integration.OutcomeUnchanged {
		t.Fatalf("second ProvisionLegacy = %v, %v; want Unchanged", res, err)
	}

	// Changed: updated in place, never reset.
	ci := legacy()
	ci.Email = "new@acme.example"
	ci.Resources = []string{"Magento_Sales::sales_order"}
	res, err = svc.ProvisionLegacy(ctx, []xmlconfig.Integration{ci})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Integrations[0]; p.Outcome != integration.OutcomeUpdated || p.ID != in.ID || res.Notice() != "" {
		t.Fatalf("changed ProvisionLegacy = %+v (notice %q), want Updated with id %d", p, res.Notice(), in.ID)
	}
	after, err := svc.Get(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Email != "new@acme.example" || after.Status != integration.StatusActive || after.ConsumerID != in.ConsumerID ||
		!cmp.Equal(after.Resources, []string{"Magento_Sales::sales_order"}) {
		t.Errorf("after update: %+v", after)
	}
	if got, err := svc.Credentials(ctx, in.ID); err != nil || got != act.Credentials {
		t.Errorf("credentials changed by a legacy update: %v", err)
	}
	if _, err := s.Consumer(ctx, in.ConsumerID); err != nil {
		t.Errorf("consumer after update: %v", err)
	}

	t.Run("manual integration of the same name is converted in place", func(t *testing.T) {
		svc, _ := newService(t, integration.Config{})
		manual, err := svc.Create(ctx, integration.Integration{Name: "AcmeLegacy", AllResources: true,
			Endpoint: "https://acme.example/cb"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.ProvisionLegacy(ctx, []xmlconfig.Integration{legacy()})
		if err != nil {
			t.Fatal(err)
		}
		if p := res.Integrations[0]; p.Outcome != integration.OutcomeUpdated || p.ID != manual.ID {
			t.Fatalf("ProvisionLegacy = %+v, want Updated with id %d", p, manual.ID)
		}
		in, err := svc.Get(ctx, manual.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := manual
		want.Email, want.SetupType, want.AllResources = "ops@acme.example", integration.SetupConfig, false
		want.Resources = []string{"Magento_Catalog::products"}
		if diff := cmp.Diff(want, in); diff != "" {
			t.Errorf("converted integration (-want +got):\n%s", diff)
		}
	})

	t.Run("only unknown resources: Magento_Backend::admin alone", func(t *testing.T) {
		svc, _ := newService(t, integration.Config{})
		ci := legacy()
		ci.Resources = []string{"Acme_Legacy::a"}
		res, err := svc.ProvisionLegacy(ctx, []xmlconfig.Integration{ci})
		if err != nil {
			t.Fatal(err)
		}
		in, _ := svc.Get(ctx, res.Integrations[0].ID)
		if !cmp.Equal(in.Resources, []string{"Magento_Backend::admin"}) {
			t.Errorf("Resources = %q, want [Magento_Backend::admin]", in.Resources)
		}
	})
}
