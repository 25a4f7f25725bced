package integration

import (
	"context"
	"fmt"
	"slices"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// grantEntry is a compiled grant, valid while the integration's grant is
// the one it was compiled from.
type grantEntry struct {
	all       bool
	resources []string
	set       *acl.Set
}

// Identity returns the integration whose consumer is consumerID, whatever
// its status, and its compiled grant. The REST layer makes the caller that
// integration only when its Status is Active (docs/magento-behaviour.md §7.3). Compiled grants
// are cached per integration and recompiled when the grant changes, so a
// call on the request hot path does one store read and no allocation for
// the grant. It returns store.ErrNotFound when no integration has the
// consumer.
func (s *Service) Identity(ctx context.Context, consumerID int64) (Integration, *acl.Set, error) {
	in, err := s.store.IntegrationByConsumer(ctx, consumerID)
	if err != nil {
		return Integration{}, nil, err
	}
	set, err := s.Role(in)
	if err != nil {
		return Integration{}, nil, err
	}
	return in, set, nil
}

// Owner is what the stores of this package return, as a pointer, as the
// owner of a consumer from oauth.OwnerStore's ConsumerTokenOwner: the
// consumer's integration, read in the same query as the credentials, and
// whether it has one. (A pointer keeps oauth.Identity comparable.)
type Owner struct {
	Integration Integration
	Found       bool
}

// IdentityOf is [Service.Identity] for a verified request: the
// integration comes from id.Owner when the provider's store read it with
// the credentials (an *[Owner]), so that the request costs no further read;
// otherwise it is read by the consumer id.
func (s *Service) IdentityOf(ctx context.Context, id oauth.Identity) (Integration, *acl.Set, error) {
	o, ok := id.Owner.(*Owner)
	if !ok || o == nil {
		return s.Identity(ctx, id.ConsumerID)
	}
	if !o.Found {
		return Integration{}, nil, fmt.Errorf("integration of consumer %d: %w", id.ConsumerID, store.ErrNotFound)
	}
	set, err := s.Role(o.Integration)
	if err != nil {
		return Integration{}, nil, err
	}
	return o.Integration, set, nil
}

// Role returns the ACL role of in: its grant compiled against the tree, from the cache when in's grant
// has not changed since it was compiled. Ids the tree does not know are
// skipped, as Magento skips the rules of resources missing from its tree:
// a grant stored under another tree (a database reopened after an upgrade,
// say) still works for the resources both know.
func (s *Service) Role(in Integration) (*acl.Set, error) {
	if v, ok := s.grants.Load(in.ID); ok {
		e := v.(*grantEntry)
		if e.all == in.AllResources && (in.AllResources || slices.Equal(e.resources, in.Resources)) {
			return e.set, nil
		}
	}
	known := in.Resources
	if !in.AllResources && slices.ContainsFunc(known, s.unknownResource) {
		known = slices.DeleteFunc(slices.Clone(known), s.unknownResource)
	}
	set, err := s.cfg.Tree.Compile(acl.Grant{All: in.AllResources, Resources: known})
	if err != nil {
		return nil, fmt.Errorf("integration %d: grant: %w", in.ID, err)
	}
	s.grants.Store(in.ID, &grantEntry{all: in.AllResources, resources: slices.Clone(in.Resources), set: set})
	return set, nil
}

// unknownResource reports whether the service's tree lacks id.
func (s *Service) unknownResource(id string) bool {
	_, ok := s.cfg.Tree.Resource(id)
	return !ok
}
