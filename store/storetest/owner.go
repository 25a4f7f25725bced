package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// testConsumerTokenOwner checks oauth.OwnerStore, where the store has it:
// ConsumerTokenOwner answers exactly as ConsumerToken followed by
// IntegrationByConsumer (the owner a *integration.Owner), for integrations
// with a Custom grant, with All (with and without a list beside it), with an
// empty grant, and for a consumer without an integration.
func testConsumerTokenOwner(t *testing.T, s Store) {
	ow, ok := s.(oauth.OwnerStore)
	if !ok {
		t.Skip("the store does not implement oauth.OwnerStore")
	}
	ctx := t.Context()
	grants := []struct {
		name      string
		all       bool
		resources []string
	}{
		{"custom", false, []string{"Magento_Sales::sales", "Magento_Catalog::products", "Magento_Backend::all"}},
		{"all", true, nil},
		{"all with a list", true, []string{"Magento_Catalog::products"}},
		{"empty", false, nil},
	}
	type probe struct {
		name, key, token string
	}
	var probes []probe
	for _, g := range grants {
		c := newConsumer(t, s)
		tok := newToken(t, s, c.ID, oauth.TokenAccess)
		in := newIntegration(t, s, "Owner "+g.name, c.ID)
		in.AllResources, in.Resources = g.all, g.resources
		mustOK(t, "UpdateIntegration", s.UpdateIntegration(ctx, in))
		probes = append(probes, probe{g.name, c.Key, tok.Token})
	}
	bare := newConsumer(t, s)
	bareTok := newToken(t, s, bare.ID, oauth.TokenAccess)
	probes = append(probes,
		probe{"consumer without an integration", bare.Key, bareTok.Token},
		probe{"token of another consumer", bare.Key, probes[0].token},
		probe{"unknown token", probes[0].key, credential(t)},
		probe{"no token asked", probes[0].key, ""},
		probe{"unknown consumer", credential(t), bareTok.Token},
	)
	for _, p := range probes {
		call := fmt.Sprintf("ConsumerTokenOwner(%s)", p.name)
		c, tok, found, owner, err := ow.ConsumerTokenOwner(ctx, p.key, p.token)
		wc, wtok, wfound, werr := s.ConsumerToken(ctx, p.key, p.token)
		if werr != nil {
			if !errors.Is(werr, store.ErrNotFound) || !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s error = %v, want store.ErrNotFound as ConsumerToken gives (%v)", call, err, werr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", call, err)
			continue
		}
		if found != wfound {
			t.Errorf("%s found = %t, ConsumerToken says %t", call, found, wfound)
		}
		diff(t, call+" consumer", wc, c)
		diff(t, call+" token", wtok, tok)
		want := integration.Owner{}
		switch in, err := s.IntegrationByConsumer(ctx, c.ID); {
		case err == nil:
			want = integration.Owner{Integration: in, Found: true}
		case !errors.Is(err, store.ErrNotFound):
			t.Fatalf("IntegrationByConsumer: %v", err)
		}
		got, ok := owner.(*integration.Owner)
		if !ok || got == nil {
			t.Errorf("%s owner is %T %v, want a *integration.Owner", call, owner, owner)
			continue
		}
		diff(t, call+" owner", want, *got)
	}
}
