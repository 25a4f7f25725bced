package integration

import (
	"fmt"
	"html"
	"strings"

	"github.com/magekit/magekit/magerr"
)

// MsgIntegrationsReset is the admin system message (severity major) that
// Magento shows while a config-file integration has status Reset (docs/magento-behaviour.md
// §12.4); %1 is the URL of the integrations grid.
const MsgIntegrationsReset = `One or more <a href="%1">integrations</a> have been reset because of a change to their xml configs.`

// Outcome is what provisioning did with one integration.
type Outcome int

// The outcomes of [Service.Provision] and [Service.ProvisionLegacy].
const (
	// OutcomeCreated: no integration had the name; one was created,
	// Inactive, with a new consumer and no tokens.
	OutcomeCreated Outcome = iota + 1
	// OutcomeUnchanged: the integration matched its XML and was left as
	// it was, status, consumer and tokens included.
	OutcomeUnchanged
	// OutcomeReset: the integration differed from its integration.xml; it
	// was deleted with its consumer, tokens, nonces and grant, and created
	// again with status Reset, a new id and a new consumer.
	OutcomeReset
	// OutcomeUpdated: the integration differed from its legacy config.xml
	// and api.xml; it was updated in place, keeping its id, status,
	// consumer and tokens.
	OutcomeUpdated
)

// String returns the outcome in lower case: "created", "unchanged",
// "reset" or "updated".
func (o Outcome) String() string {
	switch o {
	case OutcomeCreated:
		return "created"
	case OutcomeUnchanged:
		return "unchanged"
	case OutcomeReset:
		return "reset"
	case OutcomeUpdated:
		return "updated"
	}
	return "unknown"
}

// Provisioned is the outcome for one integration.
type Provisioned struct {
	Name    string
	Outcome Outcome
	// ID is the integration's id after provisioning.
	ID int64
	// PreviousID is, for OutcomeReset, the id of the integration that was
	// deleted; 0 otherwise.
	PreviousID int64
	// Dropped lists the resources of the XML that were not granted: for
	// integration.xml those not under Magento_Backend::admin in the
	// Service's tree, for api.xml those the tree does not have. Magento
	// drops them silently; they are reported here, never as an error.
	Dropped []string
}

// ProvisionResult reports what a provisioning call did, one entry per
// integration in the order given. It is a plain value.
type ProvisionResult struct {
	Integrations []Provisioned
	// IntegrationsURL is the link of [ProvisionResult.Notice]: the admin's
	// integrations grid, by default the Service's StoreBaseURL +
	// "admin/admin/integration/". A caller may replace it before calling
	// Notice.
	IntegrationsURL string
}

// Notice returns the admin system message of docs/magento-behaviour.md §12.4,
// [MsgIntegrationsReset] with the (HTML-escaped) IntegrationsURL, when at
// least one integration was reset, and "" otherwise. Magento keeps showing
// the message while any config integration has status Reset; for that
// state, see [Service.ResetNotice].
func (r ProvisionResult) Notice() string {
	for _, p := range r.Integrations {
		if p.Outcome == OutcomeReset {
			return resetNotice(r.IntegrationsURL)
		}
	}
	return ""
}

func resetNotice(url string) string {
	return magerr.Substitute(MsgIntegrationsReset, []magerr.Param{{Name: "1", Value: html.EscapeString(url)}})
}

// String summarises r for people, one line per integration:
//
//	"AcmeSync": reset (id 7, was 3); dropped Magento_Foo::bar
func (r ProvisionResult) String() string {
	if len(r.Integrations) == 0 {
		return "no integrations provisioned"
	}
	var b strings.Builder
	for i, p := range r.Integrations {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%q: %s (id %d", p.Name, p.Outcome, p.ID)
		if p.PreviousID != 0 {
			fmt.Fprintf(&b, ", was %d", p.PreviousID)
		}
		b.WriteByte(')')
		if len(p.Dropped) > 0 {
			b.WriteString("; dropped ")
			b.WriteString(strings.Join(p.Dropped, ", "))
		}
	}
	return b.String()
}
