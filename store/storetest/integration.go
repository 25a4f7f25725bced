package storetest

import (
	"fmt"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// checkIntegration fails unless every read of the integration with want.ID
// returns want: by id, by name, by consumer (when it has one) and in the
// list.
func checkIntegration(t *testing.T, s Store, want integration.Integration) {
	t.Helper()
	ctx := t.Context()
	got, err := s.Integration(ctx, want.ID)
	if wantErr(t, fmt.Sprintf("Integration(%d)", want.ID), err, nil) {
		diff(t, fmt.Sprintf("Integration(%d)", want.ID), want, got)
	}
	got, err = s.IntegrationByName(ctx, want.Name)
	if wantErr(t, fmt.Sprintf("IntegrationByName(%q)", want.Name), err, nil) {
		diff(t, fmt.Sprintf("IntegrationByName(%q)", want.Name), want, got)
	}
	if want.ConsumerID != 0 {
		got, err = s.IntegrationByConsumer(ctx, want.ConsumerID)
		if wantErr(t, fmt.Sprintf("IntegrationByConsumer(%d)", want.ConsumerID), err, nil) {
			diff(t, fmt.Sprintf("IntegrationByConsumer(%d)", want.ConsumerID), want, got)
		}
	}
	list, err := s.Integrations(ctx)
	mustOK(t, "Integrations", err)
	for _, got := range list {
		if got.ID == want.ID {
			diff(t, "Integrations", want, got)
			return
		}
	}
	t.Errorf("Integrations has no id %d", want.ID)
}

func testIntegrationRoundTrip(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	want := integration.Integration{
		Name:            "ERP connector",
		Email:           "ops@acme.example",
		Endpoint:        "https://acme.example/endpoint",
		IdentityLinkURL: "https://acme.example/link",
		Status:          integration.StatusActive,
		SetupType:       integration.SetupConfig,
		ConsumerID:      c.ID,
		// Neither sorted nor in tree order: the order is the caller's.
		Resources: []string{"Magento_Sales::sales", "Magento_Backend::admin", "Magento_Catalog::products"},
		CreatedAt: at(0),
		UpdatedAt: at(60),
	}
	in := cloneIntegration(want)
	mustOK(t, "CreateIntegration", s.CreateIntegration(ctx, &in))
	if in.ID <= 0 {
		t.Fatalf("CreateIntegration set ID = %d, want > 0", in.ID)
	}
	want.ID = in.ID
	checkIntegration(t, s, want)

	// UpdateIntegration replaces every field.
	c2 := newConsumer(t, s)
	upd := integration.Integration{
		ID:           want.ID,
		Name:         "PIM connector",
		Status:       integration.StatusReset,
		SetupType:    integration.SetupManual,
		ConsumerID:   c2.ID,
		AllResources: true,
		Resources:    []string{"b", "a"},
		CreatedAt:    at(5),
		UpdatedAt:    at(120),
	}
	mustOK(t, "UpdateIntegration", s.UpdateIntegration(ctx, cloneIntegration(upd)))
	checkIntegration(t, s, upd)
	_, err := s.IntegrationByName(ctx, want.Name)
	wantErr(t, fmt.Sprintf("IntegrationByName(old name %q)", want.Name), err, store.ErrNotFound)
	_, err = s.IntegrationByConsumer(ctx, c.ID)
	wantErr(t, fmt.Sprintf("IntegrationByConsumer(old consumer %d)", c.ID), err, store.ErrNotFound)

	// And back to no consumer.
	upd.ConsumerID = 0
	mustOK(t, "UpdateIntegration(no consumer)", s.UpdateIntegration(ctx, cloneIntegration(upd)))
	checkIntegration(t, s, upd)
	_, err = s.IntegrationByConsumer(ctx, c2.ID)
	wantErr(t, fmt.Sprintf("IntegrationByConsumer(old consumer %d)", c2.ID), err, store.ErrNotFound)
}

// testIntegrationResourcesEmpty pins the rule for no resources: whether
// Resources was nil or empty, a backend may return either, and a backend
// that keeps resources apart from the integration row must drop the old
// ones on update.
func testIntegrationResourcesEmpty(t *testing.T, s Store) {
	ctx := t.Context()
	for i, res := range [][]string{nil, {}} {
		in := integration.Integration{Name: fmt.Sprintf("empty %d", i), Resources: res, CreatedAt: at(0), UpdatedAt: at(0)}
		mustOK(t, "CreateIntegration", s.CreateIntegration(ctx, &in))
		checkIntegration(t, s, in)

		in.Resources = []string{"Magento_Catalog::products"}
		mustOK(t, "UpdateIntegration(one resource)", s.UpdateIntegration(ctx, cloneIntegration(in)))
		checkIntegration(t, s, in)

		in.Resources = res
		mustOK(t, fmt.Sprintf("UpdateIntegration(Resources %#v)", res), s.UpdateIntegration(ctx, cloneIntegration(in)))
		checkIntegration(t, s, in)
	}
}

// testIntegrationIDs checks that ids are positive and increase; they need
// not start at 1 nor be dense.
func testIntegrationIDs(t *testing.T, s Store) {
	var last int64
	for i := range 3 {
		in := newIntegration(t, s, fmt.Sprintf("integration %d", i), 0)
		if in.ID <= last {
			t.Errorf("CreateIntegration #%d: ID = %d, want > %d", i, in.ID, last)
		}
		last = in.ID
	}
}

func testIntegrationNotFound(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	in := newIntegration(t, s, "ERP", c.ID)
	free := newConsumer(t, s) // a consumer no integration has
	none := newIntegration(t, s, "no consumer", 0)
	before := MustSnapshot(t, s)

	for _, id := range missingIDs(none.ID) {
		_, err := s.Integration(ctx, id)
		wantErr(t, fmt.Sprintf("Integration(%d)", id), err, store.ErrNotFound)
		up := cloneIntegration(in)
		up.ID = id
		up.Name = "renamed"
		up.ConsumerID = 0
		wantErr(t, fmt.Sprintf("UpdateIntegration(id %d)", id), s.UpdateIntegration(ctx, up), store.ErrNotFound)
		wantErr(t, fmt.Sprintf("DeleteIntegration(%d)", id), s.DeleteIntegration(ctx, id), store.ErrNotFound)
	}
	for _, name := range []string{"PIM", "ERP2", "ER"} {
		_, err := s.IntegrationByName(ctx, name)
		wantErr(t, fmt.Sprintf("IntegrationByName(%q)", name), err, store.ErrNotFound)
	}
	// Consumer 0 means "none": it never finds the integrations without one.
	for _, id := range append(missingIDs(free.ID), free.ID) {
		_, err := s.IntegrationByConsumer(ctx, id)
		wantErr(t, fmt.Sprintf("IntegrationByConsumer(%d)", id), err, store.ErrNotFound)
	}
	sameState(t, s, before, "calls on missing integrations")
}

func testIntegrationDuplicateName(t *testing.T, s Store) {
	ctx := t.Context()
	a := newIntegration(t, s, "ERP", 0)
	b := newIntegration(t, s, "PIM", 0)
	before := MustSnapshot(t, s)

	dup := integration.Integration{Name: "ERP", CreatedAt: at(0), UpdatedAt: at(0)}
	wantErr(t, `CreateIntegration(name "ERP" taken)`, s.CreateIntegration(ctx, &dup), store.ErrExists)
	rename := cloneIntegration(b)
	rename.Name = "ERP"
	wantErr(t, `UpdateIntegration(name "ERP" taken)`, s.UpdateIntegration(ctx, rename), store.ErrExists)
	sameState(t, s, before, "duplicate names")

	// Keeping one's own name is no conflict.
	a.Email = "new@example.com"
	mustOK(t, "UpdateIntegration(own name)", s.UpdateIntegration(ctx, cloneIntegration(a)))
	checkIntegration(t, s, a)
}

func testIntegrationConsumerTaken(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	a := newIntegration(t, s, "A", c.ID)
	b := newIntegration(t, s, "B", 0)
	before := MustSnapshot(t, s)

	dup := integration.Integration{Name: "C", ConsumerID: c.ID, CreatedAt: at(0), UpdatedAt: at(0)}
	wantErr(t, "CreateIntegration(consumer taken)", s.CreateIntegration(ctx, &dup), store.ErrExists)
	take := cloneIntegration(b)
	take.ConsumerID = c.ID
	wantErr(t, "UpdateIntegration(consumer taken)", s.UpdateIntegration(ctx, take), store.ErrExists)
	sameState(t, s, before, "taken consumer ids")

	// Any number of integrations may have no consumer, and keeping one's
	// own consumer is no conflict.
	newIntegration(t, s, "D", 0)
	a.Status = integration.StatusActive
	mustOK(t, "UpdateIntegration(own consumer)", s.UpdateIntegration(ctx, cloneIntegration(a)))
	checkIntegration(t, s, a)
}

// testIntegrationUnknownConsumer checks integration.consumer_id's foreign
// key: an integration may name no consumer, but not one that does not
// exist; store.ErrNotFound, and nothing changes.
func testIntegrationUnknownConsumer(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	a := newIntegration(t, s, "A", 0)
	gone := newConsumer(t, s)
	mustOK(t, "DeleteConsumer", s.DeleteConsumer(ctx, gone.ID))
	before := MustSnapshot(t, s)
	for _, id := range []int64{gone.ID, absentID(c.ID), -1} {
		in := integration.Integration{Name: "B", ConsumerID: id, CreatedAt: at(0), UpdatedAt: at(0)}
		wantErr(t, fmt.Sprintf("CreateIntegration(consumer %d)", id), s.CreateIntegration(ctx, &in), store.ErrNotFound)
		up := cloneIntegration(a)
		up.ConsumerID = id
		wantErr(t, fmt.Sprintf("UpdateIntegration(consumer %d)", id), s.UpdateIntegration(ctx, up), store.ErrNotFound)
	}
	sameState(t, s, before, "integrations of unknown consumers")
}

func testIntegrationsOrderedByID(t *testing.T, s Store) {
	ctx := t.Context()
	list, err := s.Integrations(ctx)
	mustOK(t, "Integrations(empty store)", err)
	if len(list) != 0 {
		t.Errorf("Integrations(empty store) = %d integrations, want 0", len(list))
	}

	// Names sort the other way round, so an order by name shows.
	var want []integration.Integration
	for _, name := range []string{"e", "d", "c", "b", "a"} {
		c := newConsumer(t, s)
		want = append(want, newIntegration(t, s, name, c.ID))
	}
	mustOK(t, "DeleteIntegration", s.DeleteIntegration(ctx, want[2].ID))
	want = append(want[:2], want[3:]...)
	want = append(want, newIntegration(t, s, "0", 0))

	list, err = s.Integrations(ctx)
	mustOK(t, "Integrations", err)
	diff(t, "Integrations", want, list)

	for _, in := range want {
		if in.ConsumerID == 0 {
			continue
		}
		got, err := s.IntegrationByConsumer(ctx, in.ConsumerID)
		if wantErr(t, fmt.Sprintf("IntegrationByConsumer(%d)", in.ConsumerID), err, nil) && got.ID != in.ID {
			t.Errorf("IntegrationByConsumer(%d).ID = %d, want %d", in.ConsumerID, got.ID, in.ID)
		}
	}
}

// testDeleteIntegration checks that the integration is gone, its name free
// again, and its consumer and token row untouched.
func testDeleteIntegration(t *testing.T, s Store) {
	ctx := t.Context()
	l := newLinked(t, s, "ERP", oauth.TokenAccess)
	other := newIntegration(t, s, "PIM", 0)

	mustOK(t, "DeleteIntegration", s.DeleteIntegration(ctx, l.in.ID))
	_, err := s.Integration(ctx, l.in.ID)
	wantErr(t, "Integration(deleted)", err, store.ErrNotFound)
	_, err = s.IntegrationByName(ctx, l.in.Name)
	wantErr(t, "IntegrationByName(deleted)", err, store.ErrNotFound)
	_, err = s.IntegrationByConsumer(ctx, l.c.ID)
	wantErr(t, "IntegrationByConsumer(deleted)", err, store.ErrNotFound)
	wantErr(t, "DeleteIntegration(again)", s.DeleteIntegration(ctx, l.in.ID), store.ErrNotFound)

	list, err := s.Integrations(ctx)
	mustOK(t, "Integrations", err)
	diff(t, "Integrations", []integration.Integration{other}, list)

	c, err := s.Consumer(ctx, l.c.ID)
	if wantErr(t, "Consumer(of deleted integration)", err, nil) {
		diff(t, "Consumer(of deleted integration)", l.c, c)
	}
	tok, err := s.TokenByConsumer(ctx, l.c.ID)
	if wantErr(t, "TokenByConsumer(of deleted integration)", err, nil) {
		diff(t, "TokenByConsumer(of deleted integration)", l.tok, tok)
	}

	// The name and the consumer are free again.
	again := newIntegration(t, s, l.in.Name, l.c.ID)
	if again.ID == l.in.ID {
		t.Errorf("CreateIntegration after delete reused id %d", again.ID)
	}
}

// testIntegrationCopies checks that no value passed in or handed out
// aliases what the store keeps, the Resources slice in particular.
func testIntegrationCopies(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	in := integration.Integration{
		Name: "ERP", ConsumerID: c.ID, Resources: []string{"a", "b"},
		CreatedAt: at(0), UpdatedAt: at(0),
	}
	mustOK(t, "CreateIntegration", s.CreateIntegration(ctx, &in))
	want := cloneIntegration(in)

	in.Name = "changed"
	in.Resources[0] = "changed after CreateIntegration"
	checkIntegration(t, s, want)

	reads := []struct {
		call string
		get  func() (integration.Integration, error)
	}{
		{"Integration", func() (integration.Integration, error) { return s.Integration(ctx, want.ID) }},
		{"IntegrationByName", func() (integration.Integration, error) { return s.IntegrationByName(ctx, want.Name) }},
		{"IntegrationByConsumer", func() (integration.Integration, error) { return s.IntegrationByConsumer(ctx, c.ID) }},
		{"Integrations", func() (integration.Integration, error) {
			list, err := s.Integrations(ctx)
			if err != nil || len(list) != 1 {
				return integration.Integration{}, fmt.Errorf("%d integrations, error %w", len(list), err)
			}
			list[0].Resources[1] = "changed in the list"
			return list[0], nil
		}},
	}
	for _, r := range reads {
		got, err := r.get()
		if err != nil {
			t.Errorf("%s = %v, want nil", r.call, err)
			continue
		}
		if len(got.Resources) == 0 {
			t.Errorf("%s: no resources, want 2", r.call)
			continue
		}
		got.Resources[0] = "changed after " + r.call
		got.Resources = append(got.Resources[:1], "appended")
		checkIntegration(t, s, want)
	}

	upd := cloneIntegration(want)
	upd.Resources = []string{"c", "d"}
	mustOK(t, "UpdateIntegration", s.UpdateIntegration(ctx, upd))
	want = cloneIntegration(upd)
	upd.Resources[0] = "changed after UpdateIntegration"
	checkIntegration(t, s, want)
}
