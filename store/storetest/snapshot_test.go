package storetest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/storetest"
)

func TestSnapshotEmpty(t *testing.T) {
	got := storetest.MustSnapshot(t, newMem(t))
	want := storetest.State{Consumers: map[int64]oauth.Consumer{}, Tokens: map[int64]oauth.Token{}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Snapshot(empty store) mismatch (-want +got):\n%s", d)
	}
}

func TestSnapshot(t *testing.T) {
	ctx := t.Context()
	s := newMem(t)
	// a has a consumer and a token row, b a consumer without a row, c no
	// consumer, d a consumer that is gone; e's consumer is referenced by
	// nothing and f is deleted.
	var cs [3]oauth.Consumer
	for i := range cs {
		cs[i] = oauth.Consumer{Name: "Integration", Key: credential(t), Secret: credential(t), CreatedAt: epoch, UpdatedAt: epoch}
		if err := s.CreateConsumer(ctx, &cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	unreferenced := oauth.Consumer{Key: credential(t), Secret: credential(t), CreatedAt: epoch, UpdatedAt: epoch}
	if err := s.CreateConsumer(ctx, &unreferenced); err != nil {
		t.Fatal(err)
	}
	ins := []integration.Integration{
		{Name: "a", ConsumerID: cs[0].ID, Resources: []string{"x", "y"}},
		{Name: "b", ConsumerID: cs[1].ID, Resources: []string{}},
		{Name: "c"},
		{Name: "d", ConsumerID: cs[2].ID},
		{Name: "f"},
	}
	for i := range ins {
		ins[i].CreatedAt, ins[i].UpdatedAt = epoch, epoch
		if err := s.CreateIntegration(ctx, &ins[i]); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := oauth.IssueVerifier(ctx, s, cs[0].ID, nil, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteConsumer(ctx, cs[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteIntegration(ctx, ins[4].ID); err != nil {
		t.Fatal(err)
	}

	ins[1].Resources = nil // normalised
	want := storetest.State{
		Integrations: ins[:4],
		Consumers:    map[int64]oauth.Consumer{cs[0].ID: cs[0], cs[1].ID: cs[1]},
		Tokens:       map[int64]oauth.Token{cs[0].ID: tok},
	}
	got := storetest.MustSnapshot(t, s)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Snapshot mismatch (-want +got):\n%s", d)
	}

	// Any change shows.
	if err := s.UpdateConsumer(ctx, oauth.Consumer{ID: cs[1].ID, Name: "renamed", Key: cs[1].Key, Secret: cs[1].Secret}); err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(got, storetest.MustSnapshot(t, s)) {
		t.Error("Snapshot unchanged after UpdateConsumer")
	}
}
