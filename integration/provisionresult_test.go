package integration_test

import (
	"testing"

	"github.com/magekit/magekit/integration"
)

func TestProvisionResult(t *testing.T) {
	res := integration.ProvisionResult{
		Integrations: []integration.Provisioned{
			{Name: "AcmeSync", Outcome: integration.OutcomeReset, ID: 7, PreviousID: 3, Dropped: []string{"Acme_Sync::a", "Acme_Sync::b"}},
			{Name: "Other", Outcome: integration.OutcomeCreated, ID: 8},
			{Name: "Legacy", Outcome: integration.OutcomeUpdated, ID: 2},
			{Name: "Same", Outcome: integration.OutcomeUnchanged, ID: 1},
		},
		IntegrationsURL: `https://shop.example/admin/admin/integration/?a=1&b="2"`,
	}
	want := `"AcmeSync": reset (id 7, was 3); dropped Acme_Sync::a, Acme_Sync::b
"Other": created (id 8)
"Legacy": updated (id 2)
"Same": unchanged (id 1)`
	if got := res.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	wantNotice := `One or more <a href="https://shop.example/admin/admin/integration/?a=1&amp;b=&#34;2&#34;">integrations</a> have been reset because of a change to their xml configs.`
	if got := res.Notice(); got != wantNotice {
		t.Errorf("Notice() = %q, want %q", got, wantNotice)
	}
	if got := (integration.ProvisionResult{}).String(); got != "no integrations provisioned" {
		t.Errorf("empty String() = %q", got)
	}
	if got := integration.Outcome(0).String(); got != "unknown" {
		t.Errorf("Outcome(0).String() = %q", got)
	}
}
