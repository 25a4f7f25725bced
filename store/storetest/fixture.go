package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/user"
)

// at returns a fixed instant plus sec seconds: UTC and whole seconds, so
// that a backend that truncates timestamps to the second (as Magento's
// timestamp columns do) keeps it exactly.
func at(sec int64) time.Time {
	return time.Unix(1718000000+sec, 0).UTC()
}

// missingIDs are ids no backend hands out: ids are positive, and the last
// one is far beyond any id a subtest creates (see [absentID]).
func missingIDs(existing int64) []int64 {
	return []int64{0, -1, absentID(existing)}
}

// absentID returns an id far above existing that no subtest reaches.
func absentID(existing int64) int64 {
	return existing + 1_000_000
}

// credential returns a new 32-character [0-9a-z] value, the shape of every
// key, secret, token and nonce Magento generates.
func credential(t *testing.T) string {
	t.Helper()
	v, err := oauth.NewCredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// newConsumer stores a consumer with every field set and fresh credentials.
func newConsumer(t *testing.T, s Store) oauth.Consumer {
	t.Helper()
	c := oauth.Consumer{
		Name:      "Integration",
		Key:       credential(t),
		Secret:    credential(t),
		CreatedAt: at(0),
		UpdatedAt: at(1),
	}
	if err := s.CreateConsumer(t.Context(), &c); err != nil {
		t.Fatalf("CreateConsumer: %v", err)
	}
	return c
}

// newIntegration stores an integration named name whose consumer is
// consumerID (0 for none).
func newIntegration(t *testing.T, s Store, name string, consumerID int64) integration.Integration {
	t.Helper()
	in := integration.Integration{
		Name:       name,
		Email:      "ops@example.com",
		Endpoint:   "https://example.com/endpoint",
		Status:     integration.StatusInactive,
		ConsumerID: consumerID,
		Resources:  []string{"Magento_Sales::sales", "Magento_Catalog::products"},
		CreatedAt:  at(0),
		UpdatedAt:  at(0),
	}
	if err := s.CreateIntegration(t.Context(), &in); err != nil {
		t.Fatalf("CreateIntegration(%q): %v", name, err)
	}
	return in
}

// newToken stores a token row of type typ for the consumer.
func newToken(t *testing.T, s Store, consumerID int64, typ oauth.TokenType) oauth.Token {
	t.Helper()
	tok := tokenFor(t, consumerID, typ)
	if err := s.CreateToken(t.Context(), &tok); err != nil {
		t.Fatalf("CreateToken(consumer %d): %v", consumerID, err)
	}
	return tok
}

// tokenFor returns an unsaved token row of type typ for the consumer.
func tokenFor(t *testing.T, consumerID int64, typ oauth.TokenType) oauth.Token {
	t.Helper()
	return oauth.Token{
		ConsumerID:  consumerID,
		Type:        typ,
		Token:       credential(t),
		Secret:      credential(t),
		Verifier:    credential(t),
		CallbackURL: oauth.CallbackOOB,
		UserType:    user.Integration,
		CreatedAt:   at(0),
	}
}

// linked is an integration with its consumer and token row.
type linked struct {
	in  integration.Integration
	c   oauth.Consumer
	tok oauth.Token
}

// newLinked stores a consumer, an integration named name over it and a
// token row of type typ.
func newLinked(t *testing.T, s Store, name string, typ oauth.TokenType) linked {
	t.Helper()
	c := newConsumer(t, s)
	return linked{in: newIntegration(t, s, name, c.ID), c: c, tok: newToken(t, s, c.ID, typ)}
}

// cloneIntegration copies in with its own Resources.
func cloneIntegration(in integration.Integration) integration.Integration {
	in.Resources = slices.Clone(in.Resources)
	return in
}

// wantErr reports an error unless errors.Is(err, want); a nil want means
// the call must succeed. It returns whether err matched.
func wantErr(t *testing.T, call string, err, want error) bool {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want %v", call, err, want)
		return false
	}
	return true
}

// mustOK fails the test now unless err is nil.
func mustOK(t *testing.T, call string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s = %v, want nil", call, err)
	}
}

// diff reports got against want under the suite's one normalisation: a
// backend may return nil or an empty slice for an integration without
// resources (and for an empty list of integrations). Times compare with
// time.Time.Equal, so a backend may return them in any location.
func diff(t *testing.T, call string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", call, d)
	}
}

// sameState fails unless the store still holds before.
func sameState(t *testing.T, s Store, before State, when string) {
	t.Helper()
	after, err := Snapshot(t.Context(), s)
	if err != nil {
		t.Fatalf("Snapshot after %s: %v", when, err)
	}
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("store changed by %s (-before +after):\n%s", when, d)
	}
}
