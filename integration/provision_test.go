package integration_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integration/xmlconfig"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/store/memstore"
)

// acmeSync is the integration.xml integration of docs/magento-behaviour.md §12.2.
func acmeSync() xmlconfig.Integration {
	return xmlconfig.Integration{
		Name:            "AcmeSync",
		Email:           "ops@acme.example",
		Endpoint:        "https://acme.example/magento/endpoint",
		IdentityLinkURL: "https://acme.example/magento/link",
		Resources:       []string{"Magento_Sales::sales_order", "Magento_Catalog::products"},
	}
}

// acmeSyncGrant is acmeSync's resources expanded with their ancestors.
var acmeSyncGrant = []string{
	"Magento_Backend::admin",
	"Magento_Sales::sales", "Magento_Sales::sales_operation", "Magento_Sales::sales_order",
	"Magento_Catalog::catalog", "Magento_Catalog::catalog_inventory", "Magento_Catalog::products",
}

// provision runs Provision and fails the test on error.
func provision(t *testing.T, svc *integration.Service, list ...xmlconfig.Integration) integration.ProvisionResult {
	t.Helper()
	res, err := svc.Provision(t.Context(), list)
	if err != nil {
		t.Fatalf("Provision: %v", err)
	}
	if len(res.Integrations) != len(list) {
		t.Fatalf("Provision: %d results for %d integrations", len(res.Integrations), len(list))
	}
	return res
}

// consumerKey returns the key of in's consumer.
func consumerKey(t *testing.T, s *memstore.Store, in integration.Integration) string {
	t.Helper()
	c, err := s.Consumer(t.Context(), in.ConsumerID)
	if err != nil {
		t.Fatalf("consumer of integration %d: %v", in.ID, err)
	}
	if c.Name != "Integration"+strconv.FormatInt(in.ID, 10) {
		t.Errorf("consumer name = %q, want Integration%d", c.Name, in.ID)
	}
	return c.Key
}

// completeHandshake plays the third party that completes the token
// exchange for in: verifier, request token, access token, and the
// provider's OnAccess hook, which makes in Active. It returns the access
// token.
func completeHandshake(t *testing.T, svc *integration.Service, s *memstore.Store, in integration.Integration) string {
	t.Helper()
	ctx := t.Context()
	if _, err := oauth.IssueVerifier(ctx, s, in.ConsumerID, nil, fixedNow); err != nil {
		t.Fatal(err)
	}
	if _, err := oauth.IssueRequestToken(ctx, s, in.ConsumerID, nil); err != nil {
		t.Fatal(err)
	}
	tok, err := oauth.IssueAccessToken(ctx, s, in.ConsumerID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.OnAccess(ctx, s, in.ConsumerID); err != nil {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, in.ConsumerID, "n1", 1); err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

func TestProvisionCreate(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	res := provision(t, svc, acmeSync())
	p := res.Integrations[0]
	if p.Outcome != integration.OutcomeCreated || p.Name != "AcmeSync" || p.PreviousID != 0 || p.Dropped != nil {
		t.Fatalf("Provision = %+v, want Created", p)
	}
	if res.Notice() != "" {
		t.Errorf("Notice() = %q, want none", res.Notice())
	}
	in, err := svc.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := integration.Integration{ID: p.ID, Name: "AcmeSync", Email: "ops@acme.example",
		Endpoint: "https://acme.example/magento/endpoint", IdentityLinkURL: "https://acme.example/magento/link",
		Status: integration.StatusInactive, SetupType: integration.SetupConfig, ConsumerID: in.ConsumerID,
		Resources: acmeSyncGrant, CreatedAt: fixedNow, UpdatedAt: fixedNow}
	if diff := cmp.Diff(want, in); diff != "" {
		t.Fatalf("provisioned integration (-want +got):\n%s", diff)
	}
	consumerKey(t, s, in)
	if _, err := s.TokenByConsumer(ctx, in.ConsumerID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token of a new config integration: %v, want store.ErrNotFound", err)
	}
	// The grant compiles and allows the expanded list only.
	set, err := svc.Role(in)
	if err != nil {
		t.Fatalf("Role: %v", err)
	}
	for id, want := range map[string]bool{
		"Magento_Sales::sales_order": true, "Magento_Sales::sales": true, "Magento_Catalog::products": true,
		"Magento_Sales::actions_view": false, "Magento_Customer::manage": false, "Magento_Backend::all": false,
	} {
		if got := set.Allowed(id); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestProvisionExpansion(t *testing.T) {
	tests := []struct {
		name      string
		resources []string
		grant     []string
		dropped   []string
	}{
		{"one resource and its ancestors", []string{"Magento_Sales::sales_order"},
			[]string{"Magento_Backend::admin", "Magento_Sales::sales", "Magento_Sales::sales_operation", "Magento_Sales::sales_order"}, nil},
		{"parent then child, no duplicates", []string{"Magento_Sales::sales", "Magento_Sales::sales_order", "Magento_Sales::sales"},
			[]string{"Magento_Backend::admin", "Magento_Sales::sales", "Magento_Sales::sales_operation", "Magento_Sales::sales_order"}, nil},
		{"unknown resource dropped", []string{"Acme_Sync::unknown", "Magento_Cart::manage"},
			[]string{"Magento_Backend::admin", "Magento_Cart::cart", "Magento_Cart::manage"}, []string{"Acme_Sync::unknown"}},
		{"roots dropped", []string{"Magento_Backend::all", "Magento_Backend::admin"}, nil,
			[]string{"Magento_Backend::all", "Magento_Backend::admin"}},
		{"nothing resolves: empty grant", []string{"Acme_Sync::a", "Acme_Sync::a"}, nil, []string{"Acme_Sync::a"}},
		{"no resources", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newService(t, integration.Config{})
			ci := acmeSync()
			ci.Resources = tt.resources
			p := provision(t, svc, ci).Integrations[0]
			if diff := cmp.Diff(tt.dropped, p.Dropped); diff != "" {
				t.Errorf("Dropped (-want +got):\n%s", diff)
			}
			in, err := svc.Get(t.Context(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.grant, in.Resources); diff != "" || in.AllResources {
				t.Errorf("granted (-want +got):\n%s\nAllResources = %v", diff, in.AllResources)
			}
			set, err := svc.Role(in)
			if err != nil {
				t.Fatalf("Role: %v", err)
			}
			if len(tt.grant) == 0 && set.Allowed("Magento_Backend::admin") {
				t.Errorf("an empty grant allows Magento_Backend::admin")
			}
		})
	}
}

func TestProvisionUnchanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(*xmlconfig.Integration)
	}{
		{"same XML", func(*xmlconfig.Integration) {}},
		{"resources reordered", func(ci *xmlconfig.Integration) {
			ci.Resources = []string{"Magento_Catalog::products", "Magento_Sales::sales_order"}
		}},
		{"ancestor listed explicitly", func(ci *xmlconfig.Integration) {
			ci.Resources = append(ci.Resources, "Magento_Sales::sales")
		}},
		{"unknown resource added", func(ci *xmlconfig.Integration) {
			ci.Resources = append(ci.Resources, "Acme_Sync::unknown")
		}},
		// Magento's update merges: an element left out keeps the stored value.
		{"endpoint removed", func(ci *xmlconfig.Integration) { ci.Endpoint = "" }},
		{"identity link removed", func(ci *xmlconfig.Integration) { ci.IdentityLinkURL = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, s := newService(t, integration.Config{})
			ctx := t.Context()
			first := provision(t, svc, acmeSync()).Integrations[0]
			in, err := svc.Get(ctx, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			// An activated integration keeps its status and tokens.
			token := completeHandshake(t, svc, s, in)
			before, err := svc.Get(ctx, first.ID)
			if err != nil || before.Status != integration.StatusActive {
				t.Fatalf("after the handshake: %v, status %v", err, before.Status)
			}
			ci := acmeSync()
			tt.change(&ci)
			res := provision(t, svc, ci)
			p := res.Integrations[0]
			if p.Outcome != integration.OutcomeUnchanged || p.ID != first.ID {
				t.Fatalf("second Provision = %+v, want Unchanged with id %d", p, first.ID)
			}
			after, err := svc.Get(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("integration changed (-before +after):\n%s", diff)
			}
			if consumerKey(t, s, before) != consumerKey(t, s, after) {
				t.Errorf("consumer key changed")
			}
			if _, err := s.TokenByValue(ctx, token); err != nil {
				t.Errorf("access token after an unchanged Provision: %v", err)
			}
			if res.Notice() != "" {
				t.Errorf("Notice() = %q, want none", res.Notice())
			}
		})
	}
}

func TestProvisionChangedResets(t *testing.T) {
	tests := []struct {
		name   string
		change func(*xmlconfig.Integration)
		check  func(t *testing.T, in integration.Integration)
	}{
		{"email", func(ci *xmlconfig.Integration) { ci.Email = "new@acme.example" },
			func(t *testing.T, in integration.Integration) {
				if in.Email != "new@acme.example" {
					t.Errorf("Email = %q", in.Email)
				}
			}},
		{"endpoint", func(ci *xmlconfig.Integration) { ci.Endpoint = "https://acme.example/v2" },
			func(t *testing.T, in integration.Integration) {
				if in.Endpoint != "https://acme.example/v2" {
					t.Errorf("Endpoint = %q", in.Endpoint)
				}
			}},
		{"identity link", func(ci *xmlconfig.Integration) { ci.IdentityLinkURL = "https://acme.example/v2/link" },
			func(t *testing.T, in integration.Integration) {
				if in.IdentityLinkURL != "https://acme.example/v2/link" {
					t.Errorf("IdentityLinkURL = %q", in.IdentityLinkURL)
				}
			}},
		{"resource added", func(ci *xmlconfig.Integration) {
			ci.Resources = append(ci.Resources, "Magento_Customer::manage")
		}, func(t *testing.T, in integration.Integration) {
			want := append(append([]string(nil), acmeSyncGrant...), "Magento_Customer::customer", "Magento_Customer::manage")
			if diff := cmp.Diff(want, in.Resources); diff != "" {
				t.Errorf("Resources (-want +got):\n%s", diff)
			}
		}},
		{"resource removed", func(ci *xmlconfig.Integration) {
			ci.Resources = ci.Resources[:1]
		}, func(t *testing.T, in integration.Integration) {
			want := acmeSyncGrant[:4]
			if diff := cmp.Diff(want, in.Resources); diff != "" {
				t.Errorf("Resources (-want +got):\n%s", diff)
			}
		}},
		{"endpoint removed with another change: recreated from the XML alone", func(ci *xmlconfig.Integration) {
			ci.Endpoint, ci.Email = "", "new@acme.example"
		}, func(t *testing.T, in integration.Integration) {
			if in.Endpoint != "" {
				t.Errorf("Endpoint = %q, want none", in.Endpoint)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, s := newService(t, integration.Config{StoreBaseURL: "https://shop.example/"})
			ctx := t.Context()
			ci := acmeSync()
			tt.change(&ci)
			first := provision(t, svc, acmeSync()).Integrations[0]
			old, err := svc.Get(ctx, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			oldKey := consumerKey(t, s, old)
			token := completeHandshake(t, svc, s, old)
			res := provision(t, svc, ci)
			p := res.Integrations[0]
			if p.Outcome != integration.OutcomeReset || p.PreviousID != first.ID || p.ID == first.ID {
				t.Fatalf("Provision = %+v, want Reset with a new id, previous %d", p, first.ID)
			}
			in, err := svc.Get(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if in.Status != integration.StatusReset || in.SetupType != integration.SetupConfig {
				t.Errorf("status, setup type = %v, %v; want Reset, config", in.Status, in.SetupType)
			}
			if key := consumerKey(t, s, in); key == oldKey {
				t.Errorf("consumer key kept across Reset")
			}
			if _, err := svc.Get(ctx, first.ID); err == nil {
				t.Errorf("old integration %d still exists", first.ID)
			}
			// Magento deletes the integration row only: the old consumer and
			// its access token stay, and no integration has them.
			oldConsumer, err := s.ConsumerByKey(ctx, oldKey)
			if err != nil || oldConsumer.ID != old.ConsumerID {
				t.Errorf("old consumer: %+v, %v; want consumer %d kept", oldConsumer, err, old.ConsumerID)
			}
			if tok, err := s.TokenByValue(ctx, token); err != nil || tok.ConsumerID != old.ConsumerID {
				t.Errorf("old access token: %+v, %v; want kept for consumer %d", tok, err, old.ConsumerID)
			}
			if _, _, err := svc.Identity(ctx, old.ConsumerID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Identity(old consumer) = %v, want store.ErrNotFound", err)
			}
			if _, err := s.TokenByConsumer(ctx, in.ConsumerID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("token of the new consumer: %v, want store.ErrNotFound", err)
			}
			tt.check(t, in)
			const notice = `One or more <a href="https://shop.example/admin/admin/integration/">integrations</a> have been reset because of a change to their xml configs.`
			if got := res.Notice(); got != notice {
				t.Errorf("Notice() = %q, want %q", got, notice)
			}
			if got, err := svc.ResetNotice(ctx); err != nil || got != notice {
				t.Errorf("ResetNotice() = %q, %v; want %q", got, err, notice)
			}
			// A third run with the same XML leaves the Reset integration alone.
			again := provision(t, svc, ci).Integrations[0]
			if again.Outcome != integration.OutcomeUnchanged || again.ID != p.ID {
				t.Errorf("third Provision = %+v, want Unchanged with id %d", again, p.ID)
			}
			// Activation clears the notice.
			completeHandshake(t, svc, s, in)
			if got, err := svc.ResetNotice(ctx); err != nil || got != "" {
				t.Errorf("ResetNotice() after activation = %q, %v; want none", got, err)
			}
		})
	}
}

func TestProvisionResetActivates(t *testing.T) {
	for _, reauthorize := range []bool{false, true} {
		svc, _ := newService(t, integration.Config{})
		ctx := t.Context()
		ci := acmeSync()
		ci.Endpoint, ci.IdentityLinkURL = "", "" // the direct path
		provision(t, svc, ci)
		ci.Email = "new@acme.example"
		p := provision(t, svc, ci).Integrations[0]
		activate := svc.Activate
		if reauthorize {
			activate = svc.Reauthorize
		}
		act, err := activate(ctx, p.ID)
		if err != nil {
			t.Fatalf("activate (reauthorize %v): %v", reauthorize, err)
		}
		if act.Integration.Status != integration.StatusActive || act.Credentials.AccessToken == "" {
			t.Errorf("activate (reauthorize %v) = status %v, token %v; want Active with a token",
				reauthorize, act.Integration.Status, act.Credentials.AccessToken != "")
		}
	}
}

func TestProvisionManualSameName(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	manual, err := svc.Create(ctx, integration.Integration{Name: "AcmeSync", Email: "ops@acme.example",
		Endpoint: "https://acme.example/magento/endpoint", IdentityLinkURL: "https://acme.example/magento/link",
		Resources: acmeSyncGrant})
	if err != nil {
		t.Fatal(err)
	}
	oldKey := consumerKey(t, s, manual)
	// Everything matches but the setup type: Magento's update makes it a
	// config integration, which counts as a change.
	p := provision(t, svc, acmeSync()).Integrations[0]
	if p.Outcome != integration.OutcomeReset || p.PreviousID != manual.ID {
		t.Fatalf("Provision = %+v, want Reset of %d", p, manual.ID)
	}
	// A config integration with All (possible only through Create) differs
	// from any XML grant.
	all, err := svc.Create(ctx, integration.Integration{Name: "Everything", Email: "ops@acme.example",
		SetupType: integration.SetupConfig, AllResources: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := provision(t, svc, xmlconfig.Integration{Name: "Everything", Email: "ops@acme.example"}).Integrations[0]; p.Outcome != integration.OutcomeReset || p.PreviousID != all.ID {
		t.Fatalf("Provision of a manual All integration = %+v, want Reset of %d", p, all.ID)
	}
	custom, err := svc.Create(ctx, integration.Integration{Name: "CustomAll", Email: "ops@acme.example",
		SetupType: integration.SetupConfig, Resources: []string{"Magento_Backend::all"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := provision(t, svc, xmlconfig.Integration{Name: "CustomAll", Email: "ops@acme.example",
		Resources: []string{"Magento_Backend::all"}}).Integrations[0]; p.Outcome != integration.OutcomeReset || p.PreviousID != custom.ID {
		t.Fatalf("Provision of a Custom [Magento_Backend::all] integration = %+v, want Reset of %d", p, custom.ID)
	}
	in, err := svc.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.SetupType != integration.SetupConfig || in.Status != integration.StatusReset || consumerKey(t, s, in) == oldKey {
		t.Errorf("after Provision: setup %v, status %v, new consumer %v; want config, Reset, true",
			in.SetupType, in.Status, consumerKey(t, s, in) != oldKey)
	}
}

func TestProvisionedRefuseEditAndDelete(t *testing.T) {
	svc, _ := newService(t, integration.Config{})
	ctx := t.Context()
	p := provision(t, svc, acmeSync()).Integrations[0]
	in, err := svc.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	in.Email = "x@y.example"
	_, err = svc.Update(ctx, in)
	wantIs(t, err, integration.ErrConfigEdit)
	_, err = svc.Delete(ctx, in.ID)
	wantIs(t, err, integration.ErrConfigDelete, "AcmeSync")
}

func TestProvisionInvalidInput(t *testing.T) {
	long := "https://acme.example/" + strings.Repeat("x", 240)
	tests := []struct {
		name string
		list []xmlconfig.Integration
	}{
		{"short name", []xmlconfig.Integration{{Name: "A", Email: "a@b.c"}}},
		{"no email", []xmlconfig.Integration{{Name: "AB"}}},
		{"short URL", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c", Endpoint: "a b"}}},
		{"bad resource", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c", Resources: []string{"x"}}}},
		{"too long", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c", IdentityLinkURL: long}}},
		{"name twice", []xmlconfig.Integration{{Name: "AB", Email: "a@b.c"}, {Name: "CD", Email: "a@b.c"}, {Name: "AB", Email: "a@b.c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, s := newService(t, integration.Config{})
			want := xmlconfig.Check(tt.list)
			if want == nil {
				t.Fatal("xmlconfig.Check = nil, want violations")
			}
			for _, provision := range []func(context.Context, []xmlconfig.Integration) (integration.ProvisionResult, error){svc.Provision, svc.ProvisionLegacy} {
				_, err := provision(t.Context(), tt.list)
				var ce *xmlconfig.Error
				if !errors.As(err, &ce) || err.Error() != want.Error() {
					t.Errorf("error = %v, want the *xmlconfig.Error violations %v", err, want)
				}
			}
			if list, _ := s.Integrations(t.Context()); len(list) != 0 {
				t.Errorf("%d integrations stored after a refused Provision", len(list))
			}
		})
	}
}

func TestProvisionAtomic(t *testing.T) {
	// A constant random source makes the second consumer key collide with
	// the first: the second create fails, and the first must roll back.
	svc, s := newService(t, integration.Config{Rand: bytes.NewReader(make([]byte, 1<<16))})
	second := acmeSync()
	second.Name = "Second"
	_, err := svc.Provision(t.Context(), []xmlconfig.Integration{acmeSync(), second})
	wantMagerr(t, err, integration.MsgConsumerFailed, 500)
	if list, _ := s.Integrations(t.Context()); len(list) != 0 {
		t.Fatalf("%d integrations stored after a failed Provision", len(list))
	}
}
