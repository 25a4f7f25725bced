package integration

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/integration/xmlconfig"
	"github.com/magekit/magekit/store"
)

// Provision applies integration.xml integrations as Magento's setup:upgrade
// does (processConfigBasedIntegrations, docs/magento-behaviour.md §12.4), for each in turn:
//
//   - The resources are expanded over the Service's tree with
//     [acl.Tree.Expand]: each gains its ancestors and Magento_Backend::admin
//     leads the list; resources not under Magento_Backend::admin are dropped
//     and reported in [Provisioned.Dropped]. The list is granted as a Custom
//     list; All is never set.
//   - A new name is created with setup type config, status Inactive, a new
//     consumer and no tokens: [OutcomeCreated].
//   - An existing integration is compared with the XML as Magento compares
//     after its update: the e-mail, the endpoint and the identity link URL
//     (an element absent from the XML keeps the stored value and is no
//     change, as Magento's update merges), the setup type (so a manual
//     integration of the same name always changes), and the set of allowed
//     resources as Magento's ACL reads it back. No difference:
//     [OutcomeUnchanged], nothing is written. Any difference: the
//     integration row and its grant are deleted, and the integration is
//     created again from the XML alone with status Reset, a new id and a
//     new consumer: [OutcomeReset]. As in Magento (IntegrationService::
//     delete removes the integration row only; docs/magento-fidelity.md
//     §4) the old consumer, its tokens and nonces stay, orphaned: a call
//     signed with them still passes the signature checks, and its caller
//     is a guest, since no integration has that consumer. [Service.Delete]
//     of an integration, as the admin's Delete does, removes the consumer
//     too.
//
// Integrations that exist but are not in list are left alone, as Magento
// leaves them. The whole call is one store transaction: it commits whole
// or not at all. Entries are checked first against the XSD rules of
// [xmlconfig.ParseConsolidated] (e-mail required) and the 255-character columns; any
// failure returns *[xmlconfig.Error]s joined and changes nothing, as does a
// name given twice. Store failures are returned wrapped. Provision is safe
// for concurrent use.
//
// A Reset integration activates like any other: Magento's admin offers it
// "Reauthorize" (reauthorize=1, since its status is not Inactive), which is
// [Service.Reauthorize]; [Service.Activate] works as well.
func (s *Service) Provision(ctx context.Context, list []xmlconfig.Integration) (ProvisionResult, error) {
	return s.provisionAll(ctx, list, nil)
}

// ProvisionLegacy applies legacy config.xml + api.xml integrations as
// Magento's processIntegrationConfig does (docs/magento-behaviour.md §12.4), which an extension
// calls from its own install patch, for each in turn:
//
//   - The resources are used as given, without expansion. Those the
//     Service's tree does not have are dropped and reported in
//     [Provisioned.Dropped], since Magento writes rules for tree resources
//     only. If none is left of a non-empty list, Magento_Backend::admin is
//     granted alone, the one rule Magento's saveRel still writes.
//   - A new name is created with setup type config, status Inactive, a new
//     consumer and no tokens: [OutcomeCreated].
//   - An existing integration, manual or config, is updated in place: the
//     e-mail, the endpoint and identity link URL the XML gives (absent ones
//     are kept), setup type config, and the resource list, which replaces
//     its grant (an All grant included). Id, status, consumer and tokens
//     are kept: [OutcomeUpdated], or [OutcomeUnchanged] when nothing would
//     change. Legacy integrations are never reset.
//
// Checks, atomicity and errors are as for [Service.Provision], except that
// the XSD rules are those of [xmlconfig.ParseLegacy].
func (s *Service) ProvisionLegacy(ctx context.Context, list []xmlconfig.Integration) (ProvisionResult, error) {
	return s.provisionAll(ctx, nil, list)
}

// ProvisionDir loads the integration XML of fsys with [xmlconfig.LoadDir] and
// applies it in one store transaction: the integration.xml integrations as
// [Service.Provision] does, then the legacy ones as
// [Service.ProvisionLegacy] does, the order of Magento's setup:upgrade
// (recurring schema step, then the extensions' data patches). A name
// declared by both kinds is refused: Magento's grant plugin would mix the
// two. The result lists the integration.xml integrations first.
func (s *Service) ProvisionDir(ctx context.Context, fsys fs.FS) (ProvisionResult, error) {
	consolidated, legacy, err := xmlconfig.LoadDir(fsys)
	if err != nil {
		return ProvisionResult{}, err
	}
	var errs []error
	for _, l := range legacy {
		for _, c := range consolidated {
			if c.Name == l.Name {
				errs = append(errs, &xmlconfig.Error{Integration: l.Name,
					Rule: "declared in both integration.xml and the legacy config.xml"})
			}
		}
	}
	if len(errs) > 0 {
		return ProvisionResult{}, errors.Join(errs...)
	}
	return s.provisionAll(ctx, consolidated, legacy)
}

// ResetNotice returns the admin system message of docs/magento-behaviour.md §12.4 while at
// least one config-file integration has status Reset, and "" otherwise.
// The link is the Service's StoreBaseURL + "admin/admin/integration/".
func (s *Service) ResetNotice(ctx context.Context) (string, error) {
	list, err := s.store.Integrations(ctx)
	if err != nil {
		return "", fmt.Errorf("integration: reset notice: %w", err)
	}
	for _, in := range list {
		if in.SetupType == SetupConfig && in.Status == StatusReset {
			return resetNotice(s.integrationsURL()), nil
		}
	}
	return "", nil
}

// integrationsURL is the admin's integrations grid.
func (s *Service) integrationsURL() string {
	return s.cfg.StoreBaseURL + "admin/admin/integration/"
}

// provisionAll checks both lists, then applies the consolidated and the
// legacy integrations in one transaction.
func (s *Service) provisionAll(ctx context.Context, consolidated, legacy []xmlconfig.Integration) (ProvisionResult, error) {
	if err := xmlconfig.Check(append(slices.Clip(consolidated), legacy...)); err != nil {
		return ProvisionResult{}, err
	}
	res := ProvisionResult{IntegrationsURL: s.integrationsURL()}
	if len(consolidated)+len(legacy) == 0 {
		return res, nil
	}
	var deleted []int64
	err := s.atomic(ctx, func(ctx context.Context, tx Store) error {
		res.Integrations, deleted = nil, nil // in case the store runs fn again
		for _, ci := range consolidated {
			p, err := s.provisionOne(ctx, tx, ci)
			if err != nil {
				return err
			}
			if p.PreviousID != 0 {
				deleted = append(deleted, p.PreviousID)
			}
			res.Integrations = append(res.Integrations, p)
		}
		for _, ci := range legacy {
			p, err := s.provisionLegacyOne(ctx, tx, ci)
			if err != nil {
				return err
			}
			res.Integrations = append(res.Integrations, p)
		}
		return nil
	})
	if err != nil {
		return ProvisionResult{}, err
	}
	for _, id := range deleted {
		s.grants.Delete(id)
	}
	for _, p := range res.Integrations {
		s.cfg.Logger.InfoContext(ctx, "integration provisioned", "name", p.Name, "integration_id", p.ID,
			"outcome", p.Outcome.String(), "previous_id", p.PreviousID, "dropped", p.Dropped)
	}
	return res, nil
}

// provisionOne applies one integration.xml integration.
func (s *Service) provisionOne(ctx context.Context, tx Store, ci xmlconfig.Integration) (Provisioned, error) {
	resources := s.cfg.Tree.Expand(ci.Resources)
	p := Provisioned{Name: ci.Name, Dropped: dropped(ci.Resources, resources)}
	want := Integration{Name: ci.Name, Email: ci.Email, Endpoint: ci.Endpoint, IdentityLinkURL: ci.IdentityLinkURL,
		SetupType: SetupConfig, Resources: resources}
	cur, err := tx.IntegrationByName(ctx, ci.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		in, err := s.insertConfig(ctx, tx, want, StatusInactive)
		if err != nil {
			return Provisioned{}, err
		}
		p.Outcome, p.ID = OutcomeCreated, in.ID
		return p, nil
	case err != nil:
		return Provisioned{}, fmt.Errorf("integration %q: provision: %w", ci.Name, err)
	}
	merged := mergeXML(cur, ci)
	if cur.SetupType == SetupConfig && sameFields(cur, merged) && s.sameAllowed(cur, resources) {
		p.Outcome, p.ID = OutcomeUnchanged, cur.ID
		return p, nil
	}
	if err := tx.DeleteIntegration(ctx, cur.ID); err != nil {
		return Provisioned{}, fmt.Errorf("integration %d: delete: %w", cur.ID, err)
	}
	in, err := s.insertConfig(ctx, tx, want, StatusReset)
	if err != nil {
		return Provisioned{}, err
	}
	p.Outcome, p.ID, p.PreviousID = OutcomeReset, in.ID, cur.ID
	return p, nil
}

// provisionLegacyOne applies one config.xml + api.xml integration.
func (s *Service) provisionLegacyOne(ctx context.Context, tx Store, ci xmlconfig.Integration) (Provisioned, error) {
	var resources []string
	for _, id := range ci.Resources {
		if _, ok := s.cfg.Tree.Resource(id); ok && !slices.Contains(resources, id) {
			resources = append(resources, id)
		}
	}
	p := Provisioned{Name: ci.Name, Dropped: dropped(ci.Resources, resources)}
	if len(ci.Resources) > 0 && len(resources) == 0 {
		// saveRel appends Magento_Backend::admin to any non-empty list and
		// writes rules for tree resources only: Admin is all that is allowed.
		if _, ok := s.cfg.Tree.Resource(acl.Admin); ok {
			resources = []string{acl.Admin}
		}
	}
	cur, err := tx.IntegrationByName(ctx, ci.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		want := Integration{Name: ci.Name, Email: ci.Email, Endpoint: ci.Endpoint, IdentityLinkURL: ci.IdentityLinkURL,
			SetupType: SetupConfig, Resources: resources}
		in, err := s.insertConfig(ctx, tx, want, StatusInactive)
		if err != nil {
			return Provisioned{}, err
		}
		p.Outcome, p.ID = OutcomeCreated, in.ID
		return p, nil
	case err != nil:
		return Provisioned{}, fmt.Errorf("integration %q: provision: %w", ci.Name, err)
	}
	p.ID = cur.ID
	merged := mergeXML(cur, ci)
	merged.AllResources, merged.Resources = false, resources
	if sameFields(cur, merged) && !cur.AllResources && slices.Equal(cur.Resources, resources) {
		p.Outcome = OutcomeUnchanged
		return p, nil
	}
	merged.UpdatedAt = s.now()
	if err := tx.UpdateIntegration(ctx, merged); err != nil {
		return Provisioned{}, fmt.Errorf("integration %d: provision: %w", cur.ID, err)
	}
	p.Outcome = OutcomeUpdated
	return p, nil
}

// mergeXML is Magento's update of cur with the XML's data (addData): the
// e-mail and the URLs the XML gives replace the stored ones, absent ones
// are kept, and the setup type becomes config.
func mergeXML(cur Integration, ci xmlconfig.Integration) Integration {
	out := cur
	if ci.Email != "" {
		out.Email = ci.Email
	}
	if ci.Endpoint != "" {
		out.Endpoint = ci.Endpoint
	}
	if ci.IdentityLinkURL != "" {
		out.IdentityLinkURL = ci.IdentityLinkURL
	}
	out.SetupType = SetupConfig
	return out
}

// sameFields compares the fields Magento's hasDataChanged compares, other
// than those an update cannot change (id, name, consumer).
func sameFields(a, b Integration) bool {
	return a.Email == b.Email && a.Endpoint == b.Endpoint && a.IdentityLinkURL == b.IdentityLinkURL &&
		a.SetupType == b.SetupType
}

// sameAllowed reports whether the resources Magento's ACL would read back
// for cur's grant (getAllowedResourcesByUser) are, as a set, the new list.
func (s *Service) sameAllowed(cur Integration, list []string) bool {
	have := s.allowed(cur)
	want := make(map[string]bool, len(list))
	for _, id := range list {
		want[id] = true
	}
	if len(have) != len(want) {
		return false
	}
	for id := range want {
		if !have[id] {
			return false
		}
	}
	return true
}

// allowed returns the resources of in's allow rules as Magento's saveRel
// writes them (docs/magento-behaviour.md §10.2): {Magento_Backend::all} for All or a list of
// exactly that id; none for an empty list; otherwise the listed ids the
// tree has, plus Magento_Backend::admin.
func (s *Service) allowed(in Integration) map[string]bool {
	out := make(map[string]bool)
	switch {
	case in.AllResources || len(in.Resources) == 1 && in.Resources[0] == acl.All:
		out[acl.All] = true
		return out
	case len(in.Resources) == 0:
		return out
	}
	for _, id := range append([]string{acl.Admin}, in.Resources...) {
		if _, ok := s.cfg.Tree.Resource(id); ok {
			out[id] = true
		}
	}
	return out
}

// insertConfig creates a config-file integration with status and a new
// consumer, inside tx.
func (s *Service) insertConfig(ctx context.Context, tx Store, in Integration, status Status) (Integration, error) {
	now := s.now()
	in.ID, in.ConsumerID, in.Status, in.SetupType = 0, 0, status, SetupConfig
	in.CreatedAt, in.UpdatedAt = now, now
	if err := tx.CreateIntegration(ctx, &in); err != nil {
		return Integration{}, s.nameErr(in, err)
	}
	c, err := s.newConsumer(ctx, tx, in.ID, nil)
	if err != nil {
		return Integration{}, err
	}
	in.ConsumerID = c.ID
	if err := tx.UpdateIntegration(ctx, in); err != nil {
		return Integration{}, fmt.Errorf("integration %d: provision: %w", in.ID, err)
	}
	return in, nil
}

// dropped returns the ids of given that granted does not hold, each once.
func dropped(given, granted []string) []string {
	var out []string
	for _, id := range given {
		if !slices.Contains(granted, id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
