package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// Activation is the outcome of [Service.Activate] or [Service.Reauthorize].
type Activation struct {
	// Integration is the integration after the step.
	Integration Integration
	// TokenExchange reports which path was taken: the token exchange (both
	// endpoint and identity link URL set) or the direct path.
	TokenExchange bool
	// ConsumerKey is the integration's consumer key (both paths).
	ConsumerKey string
	// IdentityLinkURL is where the admin's browser is sent on the
	// token-exchange path: the identity link with oauth_consumer_key and
	// success_call_back appended as Magento's admin appends them.
	IdentityLinkURL string
	// Credentials are the four values shown on the direct path; empty on
	// the token-exchange path.
	Credentials Credentials
}

// Activate runs the admin's Allow step (docs/magento-behaviour.md §5.1–§5.3) for the
// integration with id. With both an endpoint and an identity link URL it
// takes the token-exchange path: the consumer's expiry window starts, a
// verifier is created (or reused) and the credential POST is sent to the
// endpoint; the integration stays Inactive until the third party completes
// /oauth/token/access. Otherwise it takes the direct path: verifier,
// request and access token at once, status Active, and the four
// credentials returned.
//
// As the admin grid does (§5.1), an integration whose status is not
// Inactive (Active, or Reset by provisioning) is reauthorized: see
// [Service.Reauthorize]. On the direct path an Inactive integration that
// already has a token row is left as it is (Magento's createAccessToken
// returns false) and its credentials are returned.
func (s *Service) Activate(ctx context.Context, id int64) (Activation, error) {
	return s.activate(ctx, id, false)
}

// Reauthorize runs the Reauthorize step (docs/magento-behaviour.md §6.1): the integration's
// token row is deleted and a new one issued, on the same path Activate
// would take. Consumer key and secret are kept. On the token-exchange path
// the status becomes Inactive until the third party completes the
// exchange again; on the direct path it becomes Active at once.
func (s *Service) Reauthorize(ctx context.Context, id int64) (Activation, error) {
	return s.activate(ctx, id, true)
}

// flightKey names an activation under way: Activate and Reauthorize of an
// integration are distinct.
type flightKey struct {
	id     int64
	forced bool
}

// flight is an activation under way, which calls that arrive meanwhile
// wait for and share.
type flight struct {
	done chan struct{}
	act  Activation
	err  error
}

// activate runs one activation of id at a time within this Service: a
// call that arrives while the same activation of the same integration is
// under way waits for it and gets its answer, instead of issuing
// credentials of its own that would supersede the others' at once (an
// admin double-clicking Allow, a harness retrying). Every caller so gets
// credentials that are valid when it returns. Across processes sharing a
// database the transaction still keeps the rows consistent, but each
// process issues its own.
func (s *Service) activate(ctx context.Context, id int64, reauthorize bool) (Activation, error) {
	k := flightKey{id, reauthorize}
	s.flightMu.Lock()
	if f := s.flights[k]; f != nil {
		s.flightMu.Unlock()
		select {
		case <-f.done:
			return f.act, f.err
		case <-ctx.Done():
			return Activation{}, ctx.Err()
		}
	}
	if s.flights == nil {
		s.flights = map[flightKey]*flight{}
	}
	f := &flight{done: make(chan struct{})}
	s.flights[k] = f
	s.flightMu.Unlock()
	defer func() {
		s.flightMu.Lock()
		delete(s.flights, k)
		s.flightMu.Unlock()
		close(f.done)
	}()
	f.act, f.err = s.activateOnce(ctx, id, reauthorize)
	return f.act, f.err
}

// activateOnce takes the path of in: reauthorize is forced by Reauthorize
// and otherwise follows the grid's rule, reauthorize = (status ≠ Inactive).
func (s *Service) activateOnce(ctx context.Context, id int64, reauthorize bool) (Activation, error) {
	in, err := s.Get(ctx, id)
	if err != nil {
		return Activation{}, err
	}
	forced := reauthorize
	for {
		reauthorize = forced || in.Status != StatusInactive
		var act Activation
		if in.TokenExchange() {
			act, err = s.exchange(ctx, in, reauthorize)
		} else {
			act, err = s.direct(ctx, in, reauthorize)
		}
		var changed *pathChanged
		if !errors.As(err, &changed) {
			return act, err
		}
		// An update between the read above and the transaction changed the
		// path (or the status): decide again from what the transaction saw.
		in = changed.cur
	}
}

// pathChanged aborts an activation transaction that finds the integration
// no longer on the path, or in the status, it was chosen for.
type pathChanged struct{ cur Integration }

func (*pathChanged) Error() string { return "integration: activation path changed" }

// samePath reports whether cur, read inside the transaction, still takes
// the path and reauthorize decision made from in.
func samePath(in, cur Integration) bool {
	return in.TokenExchange() == cur.TokenExchange() && (in.Status == StatusInactive) == (cur.Status == StatusInactive)
}

// direct is the path without a credential POST (docs/magento-behaviour.md §5.3).
func (s *Service) direct(ctx context.Context, in Integration, reauthorize bool) (Activation, error) {
	var act Activation
	err := s.atomic(ctx, func(ctx context.Context, tx Store) error {
		cur, err := s.get(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if !samePath(in, cur) {
			return &pathChanged{cur}
		}
		c, err := tx.Consumer(ctx, cur.ConsumerID)
		if err != nil {
			return fmt.Errorf("integration %d: consumer: %w", cur.ID, err)
		}
		tok, err := tx.TokenByConsumer(ctx, c.ID)
		switch {
		case err == nil && !reauthorize:
			// Magento's createAccessToken(clearExisting=false) changes nothing.
			act = Activation{Integration: cur, ConsumerKey: c.Key, Credentials: credentials(c, tok)}
			return nil
		case err == nil:
			if err := tx.DeleteToken(ctx, c.ID); err != nil {
				return fmt.Errorf("integration %d: delete token: %w", cur.ID, err)
			}
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("integration %d: token: %w", cur.ID, err)
		}
		if _, err := oauth.IssueVerifier(ctx, tx, c.ID, s.cfg.Rand, s.now()); err != nil {
			return err
		}
		if _, err := oauth.IssueRequestToken(ctx, tx, c.ID, s.cfg.Rand); err != nil {
			return err
		}
		tok, err = oauth.IssueAccessToken(ctx, tx, c.ID, s.cfg.Rand)
		if err != nil {
			return err
		}
		cur.Status = StatusActive
		cur.UpdatedAt = s.now()
		if err := tx.UpdateIntegration(ctx, cur); err != nil {
			return fmt.Errorf("integration %d: status: %w", cur.ID, err)
		}
		act = Activation{Integration: cur, ConsumerKey: c.Key, Credentials: credentials(c, tok)}
		return nil
	})
	if err != nil {
		return Activation{}, err
	}
	s.cfg.Logger.InfoContext(ctx, "integration activated", "integration_id", in.ID, "path", "direct", "reauthorize", reauthorize)
	return act, nil
}

// exchange is the token-exchange path (docs/magento-behaviour.md §5.2 steps 1–5). The store
// changes commit before the POST, as Magento saves them before it posts:
// a failed POST leaves them, as Magento does.
func (s *Service) exchange(ctx context.Context, in Integration, reauthorize bool) (Activation, error) {
	var (
		cur      Integration
		consumer oauth.Consumer
		verifier string
	)
	err := s.atomic(ctx, func(ctx context.Context, tx Store) error {
		var err error
		if cur, err = s.get(ctx, tx, in.ID); err != nil {
			return err
		}
		if !samePath(in, cur) {
			return &pathChanged{cur}
		}
		if consumer, err = tx.Consumer(ctx, cur.ConsumerID); err != nil {
			return fmt.Errorf("integration %d: consumer: %w", cur.ID, err)
		}
		if reauthorize {
			if err := tx.DeleteToken(ctx, consumer.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("integration %d: delete token: %w", cur.ID, err)
			}
			if cur.Status != StatusInactive {
				cur.Status = StatusInactive
				cur.UpdatedAt = s.now()
				if err := tx.UpdateIntegration(ctx, cur); err != nil {
					return fmt.Errorf("integration %d: status: %w", cur.ID, err)
				}
			}
		}
		// postToConsumer: the expiry window starts now (docs/magento-behaviour.md §2.4).
		consumer.UpdatedAt = s.now()
		if err := tx.UpdateConsumer(ctx, consumer); err != nil {
			return fmt.Errorf("integration %d: consumer: %w", cur.ID, err)
		}
		tok, err := oauth.IssueVerifier(ctx, tx, consumer.ID, s.cfg.Rand, s.now())
		if errors.Is(err, store.ErrExists) {
			// The row has moved past the verifier (an activation that was
			// not completed): Magento posts the verifier it keeps.
			tok, err = tx.TokenByConsumer(ctx, consumer.ID)
		}
		if err != nil {
			return err
		}
		verifier = tok.Verifier
		return nil
	})
	if err != nil {
		return Activation{}, err
	}
	if err := s.post(ctx, cur.Endpoint, consumer, verifier); err != nil {
		// The error names the endpoint with any password redacted.
		s.cfg.Logger.ErrorContext(ctx, "credential post failed", "integration_id", cur.ID, "error", err.Error())
		return Activation{}, magerr.New(magerr.Input, MsgPostFailed).Wrap(err)
	}
	s.cfg.Logger.InfoContext(ctx, "integration sent for activation", "integration_id", cur.ID, "reauthorize", reauthorize)
	return Activation{
		Integration:     cur,
		TokenExchange:   true,
		ConsumerKey:     consumer.Key,
		IdentityLinkURL: IdentityLink(cur.IdentityLinkURL, consumer.Key, s.cfg.SuccessCallbackURL),
	}, nil
}

// post sends the credential POST of docs/magento-behaviour.md §5.2.1. Any HTTP answer counts as
// success; only a transport failure is an error. The error never holds the
// secret.
func (s *Service) post(ctx context.Context, endpoint string, c oauth.Consumer, verifier string) error {
	ctx, cancel := context.WithTimeout(ctx, s.postTimeout())
	defer cancel()
	// PHP's form encoding, fields in Magento's order.
	body := "oauth_consumer_key=" + url.QueryEscape(c.Key) +
		"&oauth_consumer_secret=" + url.QueryEscape(c.Secret) +
		"&store_base_url=" + url.QueryEscape(s.cfg.StoreBaseURL) +
		"&oauth_verifier=" + url.QueryEscape(verifier)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("integration: credential post: bad endpoint: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", `Laminas\Http\Client`)
	resp, err := s.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			// url.Error repeats the URL; keep only the cause.
			err = uerr.Err
		}
		return fmt.Errorf("integration: credential post to %s: %w", req.URL.Redacted(), err)
	}
	// Drain a little so the connection can be reused; the answer is ignored.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	_ = resp.Body.Close()
	return nil
}

func (s *Service) postTimeout() time.Duration {
	if s.cfg.PostTimeout != nil {
		if d := s.cfg.PostTimeout(); d > 0 {
			return d
		}
	}
	return 5 * time.Second
}

func (s *Service) maxRedirects() int {
	if s.cfg.PostMaxRedirects != nil {
		if n := s.cfg.PostMaxRedirects(); n > 0 {
			return n
		}
	}
	return 0
}

// IdentityLink returns the URL Magento's admin opens for the identity link
// (docs/magento-behaviour.md §5.2 step 5): link + "?" + oauth_consumer_key=<key>&success_call_back=<callback>,
// encoded as jQuery's param encodes (encodeURIComponent, %20 as +). The "?"
// is appended even when link already has a query, as Magento does.
func IdentityLink(link, consumerKey, callback string) string {
	return link + "?oauth_consumer_key=" + jqueryParam(consumerKey) + "&success_call_back=" + jqueryParam(callback)
}

// jqueryParam encodes s as JavaScript's encodeURIComponent, then turns %20
// into +, as jQuery.param does.
func jqueryParam(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-_.!~*'()", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// credentials returns what Magento's get adds to an integration (docs/magento-behaviour.md
// §1.3): the consumer key and secret always, the token and its secret only
// when the row is an access token. No other secret is ever returned.
func credentials(c oauth.Consumer, tok oauth.Token) Credentials {
	cr := Credentials{ConsumerKey: c.Key, ConsumerSecret: c.Secret}
	if tok.Type == oauth.TokenAccess {
		cr.AccessToken, cr.AccessTokenSecret = tok.Token, tok.Secret
	}
	return cr
}

// Credentials returns the integration's consumer key and secret and, once
// an access token exists, the access token and its secret (docs/magento-behaviour.md §1.3 get).
func (s *Service) Credentials(ctx context.Context, id int64) (Credentials, error) {
	in, err := s.Get(ctx, id)
	if err != nil {
		return Credentials{}, err
	}
	c, err := s.store.Consumer(ctx, in.ConsumerID)
	if err != nil {
		return Credentials{}, fmt.Errorf("integration %d: consumer: %w", id, err)
	}
	tok, err := s.store.TokenByConsumer(ctx, c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Credentials{}, fmt.Errorf("integration %d: token: %w", id, err)
	}
	return credentials(c, tok), nil
}

// OnAccess is the hook for [oauth.Config.OnAccess]: when the third party
// completes /oauth/token/access, the consumer's integration becomes Active
// in the same transaction (docs/magento-behaviour.md §5.2 step 8.6). A consumer without an
// integration is left alone.
func (s *Service) OnAccess(ctx context.Context, tx oauth.Store, consumerID int64) error {
	itx, err := asTx(tx)
	if err != nil {
		return err
	}
	in, err := itx.IntegrationByConsumer(ctx, consumerID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("integration: consumer %d: %w", consumerID, err)
	}
	in.Status = StatusActive
	in.UpdatedAt = s.now()
	if err := itx.UpdateIntegration(ctx, in); err != nil {
		return fmt.Errorf("integration %d: activate: %w", in.ID, err)
	}
	return nil
}
