package acl

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/magekit/magekit/user"
)

// ErrUnknownResource is wrapped by the errors of [Tree.Compile] for ids the
// tree does not have; match it with errors.Is.
var ErrUnknownResource = errors.New("acl: unknown resource")

// Grant is what an integration or an admin role holds (docs/magento-behaviour.md §10.2): every
// resource ("All", Magento's all_resources) or a Custom list of resource ids.
// When All is true, Resources is ignored.
type Grant struct {
	All       bool
	Resources []string
}

// Set is a compiled [Grant]: the permissions of one role, ready to check.
//
// A Set is immutable and safe for concurrent use. A nil *Set is a caller
// without a role (a guest, or a customer): it denies every resource. The
// zero Set denies every resource too.
type Set struct {
	index    map[string]int // the tree's, shared
	order    []*Resource    // the tree's, shared
	all      bool           // every resource, known or not
	fallback bool           // the permission on resources the tree does not know
	bits     []uint64       // bit i: the tree's resource i is allowed
}

// Compile validates g against t and compiles it into a [Set], as Magento's
// saveRel stores a grant and its ACL loader reads it back (docs/magento-behaviour.md §10.2, §10.3):
//
//   - g.All, or a Custom list that holds exactly one id, [All], allows
//     every resource, including ids the tree does not know.
//   - An empty Custom list allows nothing.
//   - Any other Custom list allows exactly the listed resources plus
//     [Admin], which saveRel appends. Parents are not implied: a child may be
//     allowed while its parent is denied. Ids the tree does not know are
//     denied, unless the list includes [All] among others: that grants the
//     role the "all resources" permission that Magento consults for unknown
//     ids, while every known resource keeps its own rule.
//
// Every id of a Custom list must be in t: otherwise Compile returns nil and
// an error that joins one error per unknown id, each wrapping
// [ErrUnknownResource] and naming the id. Duplicates are harmless.
func (t *Tree) Compile(g Grant) (*Set, error) {
	if g.All || len(g.Resources) == 1 && g.Resources[0] == All {
		return &Set{index: t.index, order: t.order, all: true, fallback: true}, nil
	}
	s := &Set{index: t.index, order: t.order, bits: make([]uint64, (len(t.order)+63)/64)}
	var errs []error
	for k, id := range g.Resources {
		i, ok := t.index[id]
		switch {
		case ok:
			s.bits[i/64] |= 1 << (i % 64)
			if id == All {
				s.fallback = true
			}
		case !slices.Contains(g.Resources[:k], id):
			errs = append(errs, fmt.Errorf("%w %q", ErrUnknownResource, id))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if i, ok := t.index[Admin]; ok && len(g.Resources) > 0 {
		s.bits[i/64] |= 1 << (i % 64)
	}
	return s, nil
}

// Allowed reports whether s allows the resource id (docs/magento-behaviour.md §10.3). A resource
// the tree knows is judged by its own rule; parents are not consulted. An
// id the tree does not know is judged by the set's permission on all
// resources: an All grant allows it, a Custom grant denies it (unless it
// lists [All] among other ids, see [Tree.Compile]). A nil Set denies every
// id. Allowed does not allocate.
func (s *Set) Allowed(id string) bool {
	if s == nil {
		return false
	}
	if s.all {
		return true
	}
	i, ok := s.index[id]
	if !ok {
		return s.fallback
	}
	return s.bits[i/64]&(1<<(i%64)) != 0
}

// Resources returns the ids that s allows, as Magento lists a role's allow
// rules: just [All] for an All grant, otherwise the allowed resources of the
// tree in display order, [Admin] included. It returns nil for a nil Set or
// an empty grant.
func (s *Set) Resources() []string {
	if s == nil {
		return nil
	}
	if s.all {
		return []string{All}
	}
	var ids []string
	for i, r := range s.order {
		if s.bits[i/64]&(1<<(i%64)) != 0 {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// Check reports whether caller, holding s, may call a route whose resource
// refs are refs (docs/magento-behaviour.md §10.3). Every ref must pass (AND semantics); an empty
// list passes, as in Magento:
//
//   - [Anonymous] always passes, even for a nil Set;
//   - [Self] passes for [user.Customer]; for any other caller it is judged
//     like a resource the tree does not know, so an All grant passes it;
//   - any other ref passes if [Set.Allowed] does.
//
// A nil Set, a caller without a role, fails every other ref. Whether a
// customer's account is shared with the current store, which Magento also
// requires for Self, is the caller's to decide: pass user.Customer only
// then. On failure
// Magento answers 401 with [Denied] of the same refs. Check does not
// allocate and is safe for concurrent use.
func (s *Set) Check(caller user.Type, refs []string) bool {
	for _, ref := range refs {
		switch {
		case ref == Anonymous:
		case ref == Self && caller == user.Customer:
		case !s.Allowed(ref):
			return false
		}
	}
	return true
}

// Denied returns the %resources parameter of Magento's
// "The consumer isn't authorized to access %resources." error: the route's
// refs joined by a comma and a space. Magento lists every ref of the route, not only the
// ones that failed, so pass the same refs as to [Set.Check].
func Denied(refs []string) string {
	return strings.Join(refs, ", ")
}
