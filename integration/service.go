package integration

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/user"
)

// Config holds the Service's optional settings. The zero value gives
// Magento's defaults; the Service copies it at construction.
type Config struct {
	// Tree is the ACL tree grants are checked against; default
	// acl.Default(), the Magento 2.4.7 tree.
	Tree *acl.Tree
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Rand is the source of credentials; default crypto/rand.
	Rand io.Reader
	// HTTPClient sends the credential POST of the token-exchange path. The
	// default follows no redirects beyond PostMaxRedirects and has no
	// timeout of its own: each POST gets PostTimeout through its context.
	// A client given here keeps its own redirect policy.
	HTTPClient *http.Client
	// StoreBaseURL is announced as store_base_url in the credential POST;
	// it ends with "/" (default "http://localhost/").
	StoreBaseURL string
	// SuccessCallbackURL is appended to the identity link as
	// success_call_back (docs/magento-behaviour.md §5.2 step 5); default StoreBaseURL +
	// "admin/admin/integration/loginSuccessCallback/".
	SuccessCallbackURL string
	// PostTimeout returns the live oauth/consumer/post_timeout; nil or a
	// value ≤ 0 means 5 s.
	PostTimeout func() time.Duration
	// PostMaxRedirects returns the live oauth/consumer/post_maxredirects;
	// nil or a value < 0 means 0.
	PostMaxRedirects func() int
	// Logger receives operational logs; default discards. Secrets are never
	// logged.
	Logger *slog.Logger
}

// Service is Magento's IntegrationService with its OAuth and authorization
// companions: create, update, read, delete, activate and reauthorize
// integrations. It is safe for concurrent use.
type Service struct {
	store  Store
	cfg    Config
	client *http.Client
	grants sync.Map // integration id → *grantEntry

	flightMu sync.Mutex
	flights  map[flightKey]*flight // activations under way
}

// NewService returns a Service over s.
func NewService(s Store, c Config) *Service {
	if c.Tree == nil {
		c.Tree = acl.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.StoreBaseURL == "" {
		c.StoreBaseURL = "http://localhost/"
	}
	if c.SuccessCallbackURL == "" {
		c.SuccessCallbackURL = c.StoreBaseURL + "admin/admin/integration/loginSuccessCallback/"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	svc := &Service{store: s, cfg: c}
	svc.client = c.HTTPClient
	if svc.client == nil {
		svc.client = &http.Client{CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > svc.maxRedirects() {
				return http.ErrUseLastResponse
			}
			return nil
		}}
	}
	return svc
}

// Tree returns the ACL tree the Service checks grants against.
func (s *Service) Tree() *acl.Tree { return s.cfg.Tree }

// now returns the clock's time in UTC, truncated to the second as Magento's
// timestamp columns keep it.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Second) }

// atomic runs fn in one store transaction, handing it the transaction as an
// integration Store.
func (s *Service) atomic(ctx context.Context, fn func(ctx context.Context, tx Store) error) error {
	return s.store.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		itx, err := asTx(tx)
		if err != nil {
			return err
		}
		return fn(ctx, itx)
	})
}

// asTx returns the transaction that oauth.Store.Atomic hands to its
// function as an integration Store.
//
// The assertion is checked at run time on purpose: Atomic is declared by
// package oauth, which must not know package integration (the import graph
// runs integration → oauth), so its tx can only be typed oauth.Store; a
// typed transaction would need Store to be generic in its tx type, and every
// backend and caller with it. Every backend's tx implements Store: the
// conformance suite's AtomicTxIsIntegrationStore (store/storetest) fails
// for one that does not, and such a backend gets this error, never a panic.
func asTx(tx oauth.Store) (Store, error) {
	itx, ok := tx.(Store)
	if !ok {
		return nil, fmt.Errorf("integration: store transaction %T does not implement integration.Store", tx)
	}
	return itx, nil
}

// Create validates in and stores it Inactive with a new consumer named
// "Integration<id>" (docs/magento-behaviour.md §1.3), atomically. ID, Status, ConsumerID and the
// times of in are ignored; SetupType is kept. Validation failures and a
// taken name return a *magerr.Error and change nothing.
//
// Validation is stricter than Magento 2.4.7's server side in three ways,
// each a check its admin form or its database makes instead (docs/magento-behaviour.md §1.4):
// the e-mail's shape and the endpoint's (an absolute http or https URL)
// are checked here, and text must be valid UTF-8 within the column's
// length in characters. A connector that passes here passes there.
func (s *Service) Create(ctx context.Context, in Integration) (Integration, error) {
	return s.create(ctx, in, nil)
}

// CreateWithCredentials creates in as [Service.Create] does, then makes it
// Active with exactly the given consumer key and secret and access token
// and secret, each 32 characters of [0-9a-z], so a test harness can
// hard-code them. A credential already taken gives store.ErrExists.
func (s *Service) CreateWithCredentials(ctx context.Context, in Integration, c Credentials) (Integration, error) {
	if err := c.validate(); err != nil {
		return Integration{}, err
	}
	return s.create(ctx, in, &c)
}

func (s *Service) create(ctx context.Context, in Integration, creds *Credentials) (Integration, error) {
	in = normalise(in)
	if err := validate(in, s.cfg.Tree); err != nil {
		return Integration{}, err
	}
	now := s.now()
	in.ID, in.ConsumerID, in.Status = 0, 0, StatusInactive
	in.CreatedAt, in.UpdatedAt = now, now
	err := s.atomic(ctx, func(ctx context.Context, tx Store) error {
		if err := s.checkName(ctx, tx, in); err != nil {
			return err
		}
		if err := tx.CreateIntegration(ctx, &in); err != nil {
			return s.nameErr(in, err)
		}
		c, err := s.newConsumer(ctx, tx, in.ID, creds)
		if err != nil {
			return err
		}
		in.ConsumerID = c.ID
		if creds != nil {
			tok := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenAccess, Token: creds.AccessToken,
				Secret: creds.AccessTokenSecret, CallbackURL: oauth.CallbackOOB, UserType: user.Integration, CreatedAt: now}
			if tok.Verifier, err = oauth.NewCredential(s.cfg.Rand); err != nil {
				return err
			}
			if err := tx.CreateToken(ctx, &tok); err != nil {
				return fmt.Errorf("integration %d: access token: %w", in.ID, err)
			}
			in.Status = StatusActive
		}
		return tx.UpdateIntegration(ctx, in)
	})
	if err != nil {
		return Integration{}, err
	}
	s.cfg.Logger.InfoContext(ctx, "integration created", "integration_id", in.ID, "name", in.Name, "status", in.Status.String())
	return in, nil
}

// newConsumer creates the integration's consumer, with generated or given
// credentials.
func (s *Service) newConsumer(ctx context.Context, tx Store, id int64, creds *Credentials) (oauth.Consumer, error) {
	now := s.now()
	c := oauth.Consumer{Name: "Integration" + strconv.FormatInt(id, 10), CreatedAt: now, UpdatedAt: now}
	if creds != nil {
		c.Key, c.Secret = creds.ConsumerKey, creds.ConsumerSecret
		if err := tx.CreateConsumer(ctx, &c); err != nil {
			return oauth.Consumer{}, fmt.Errorf("integration %d: consumer: %w", id, err)
		}
		return c, nil
	}
	for attempt := 0; ; attempt++ {
		var err error
		if c.Key, err = oauth.NewCredential(s.cfg.Rand); err != nil {
			return oauth.Consumer{}, magerr.New(magerr.Internal, MsgConsumerFailed).Wrap(err)
		}
		if c.Secret, err = oauth.NewCredential(s.cfg.Rand); err != nil {
			return oauth.Consumer{}, magerr.New(magerr.Internal, MsgConsumerFailed).Wrap(err)
		}
		err = tx.CreateConsumer(ctx, &c)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, store.ErrExists) || attempt == 3 {
			return oauth.Consumer{}, magerr.New(magerr.Internal, MsgConsumerFailed).Wrap(err)
		}
	}
}

// checkName reports a name taken by another integration with Magento's
// message.
func (s *Service) checkName(ctx context.Context, tx Store, in Integration) error {
	other, err := tx.IntegrationByName(ctx, in.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case other.ID != in.ID:
		return magerr.New(magerr.Input, MsgNameExists, in.Name)
	}
	return nil
}

// nameErr turns a uniqueness failure the backend detected (a concurrent
// create won the race) into Magento's message.
func (s *Service) nameErr(in Integration, err error) error {
	if errors.Is(err, store.ErrExists) {
		return magerr.New(magerr.Input, MsgNameExists, in.Name).Wrap(err)
	}
	return fmt.Errorf("integration %q: save: %w", in.Name, err)
}

// normalise gives Resources one shape: a copy, and nil for an All grant.
func normalise(in Integration) Integration {
	in.Resources = slices.Clone(in.Resources)
	if in.AllResources {
		in.Resources = nil
	}
	return in
}

// Update changes the name, e-mail, endpoint, identity link URL and grant of
// the integration with in.ID (docs/magento-behaviour.md §1.3, §1.4). Status, setup type,
// consumer and creation time are kept. Config-file integrations refuse with
// Magento's message; a missing id gives `The integration with ID "%1"
// doesn't exist.`; failures change nothing.
func (s *Service) Update(ctx context.Context, in Integration) (Integration, error) {
	in = normalise(in)
	var out Integration
	err := s.atomic(ctx, func(ctx context.Context, tx Store) error {
		cur, err := s.get(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if cur.SetupType == SetupConfig {
			return magerr.New(magerr.Input, MsgConfigEdit)
		}
		if err := validate(in, s.cfg.Tree); err != nil {
			return err
		}
		if err := s.checkName(ctx, tx, in); err != nil {
			return err
		}
		cur.Name, cur.Email, cur.Endpoint, cur.IdentityLinkURL = in.Name, in.Email, in.Endpoint, in.IdentityLinkURL
		cur.AllResources, cur.Resources = in.AllResources, in.Resources
		cur.UpdatedAt = s.now()
		if err := tx.UpdateIntegration(ctx, cur); err != nil {
			return s.nameErr(cur, err)
		}
		out = cur
		return nil
	})
	if err != nil {
		return Integration{}, err
	}
	s.cfg.Logger.InfoContext(ctx, "integration updated", "integration_id", out.ID)
	return out, nil
}

// Get returns the integration with id, or Magento's not-found error.
func (s *Service) Get(ctx context.Context, id int64) (Integration, error) {
	return s.get(ctx, s.store, id)
}

func (s *Service) get(ctx context.Context, r Reader, id int64) (Integration, error) {
	if id <= 0 {
		return Integration{}, notFound(id)
	}
	in, err := r.Integration(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Integration{}, notFound(id).Wrap(err)
	}
	return in, err
}

// ByName returns the integration named name, or store.ErrNotFound.
func (s *Service) ByName(ctx context.Context, name string) (Integration, error) {
	return s.store.IntegrationByName(ctx, name)
}

// List returns every integration ordered by id.
func (s *Service) List(ctx context.Context) ([]Integration, error) {
	return s.store.Integrations(ctx)
}

// Delete removes the integration with id together with its consumer, the
// consumer's token row and nonces, and its grant, atomically (docs/magento-behaviour.md §6.2).
// Config-file integrations refuse with `Uninstall the extension to remove
// integration '%1'.`. It returns the deleted integration.
func (s *Service) Delete(ctx context.Context, id int64) (Integration, error) {
	if id <= 0 {
		return Integration{}, magerr.New(magerr.Input, MsgInvalidID)
	}
	var out Integration
	err := s.atomic(ctx, func(ctx context.Context, tx Store) error {
		in, err := s.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.SetupType == SetupConfig {
			return magerr.New(magerr.Input, MsgConfigDelete, in.Name)
		}
		out = in
		return removeIntegration(ctx, tx, in)
	})
	if err != nil {
		return Integration{}, err
	}
	s.grants.Delete(id)
	s.cfg.Logger.InfoContext(ctx, "integration deleted", "integration_id", id)
	return out, nil
}

// Reset deletes every integration, config-file ones included, with their
// consumers, tokens, nonces and grants, in one transaction, and, when the
// store can list them (memstore and sqlstore can), every consumer left
// without an integration, such as those a re-created config integration
// leaves. It is the emulator's reset; Magento has no such operation.
func (s *Service) Reset(ctx context.Context) error {
	err := s.atomic(ctx, func(ctx context.Context, tx Store) error {
		list, err := tx.Integrations(ctx)
		if err != nil {
			return err
		}
		for _, in := range list {
			if err := removeIntegration(ctx, tx, in); err != nil {
				return err
			}
		}
		return deleteOrphans(ctx, tx)
	})
	if err != nil {
		return err
	}
	s.grants.Clear()
	return nil
}

// consumerLister is the store method that lists every consumer; memstore
// and sqlstore have it.
type consumerLister interface {
	ConsumerIDs(ctx context.Context) ([]int64, error)
}

// deleteOrphans deletes, when tx can list them, the consumers left once
// every integration is gone: those that a re-created config integration
// left behind (see Service.Provision), with their tokens and nonces.
func deleteOrphans(ctx context.Context, tx Store) error {
	l, ok := tx.(consumerLister)
	if !ok {
		return nil
	}
	ids, err := l.ConsumerIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.DeleteConsumer(ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("consumer %d: delete: %w", id, err)
		}
	}
	return nil
}

// removeIntegration deletes in and its consumer, whose token row and
// nonces go with it (docs/magento-behaviour.md §6.2), inside tx. Its grant is in the
// integration's own record.
func removeIntegration(ctx context.Context, tx Store, in Integration) error {
	if err := tx.DeleteIntegration(ctx, in.ID); err != nil {
		return fmt.Errorf("integration %d: delete: %w", in.ID, err)
	}
	if in.ConsumerID != 0 {
		if err := tx.DeleteConsumer(ctx, in.ConsumerID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("integration %d: delete consumer: %w", in.ID, err)
		}
	}
	return nil
}
