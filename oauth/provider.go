package oauth

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/magekit/magekit/oauth/signature"
)

// Config holds the optional settings of a [Provider]. The zero value means
// Magento's defaults. NewProvider copies it; later changes have no effect.
type Config struct {
	// Profile selects the signature rules; the zero value is Magento247.
	Profile signature.Profile
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Rand is the source of new tokens and secrets; default crypto/rand.
	Rand io.Reader
	// ConsumerExpiry returns the live value of
	// oauth/consumer/expiration_period: how long after the consumer's
	// UpdatedAt the request-token step is allowed (docs/magento-behaviour.md §2.4). It is called
	// on every request-token request. Nil, or a value ≤ 0, means 300 s.
	ConsumerExpiry func() time.Duration
	// TimestampSkew bounds oauth_timestamp in the future (Magento's
	// TIME_DEVIATION, docs/magento-behaviour.md §4), in whole seconds; there is no bound in the
	// past. Less than a second means 600 s.
	TimestampSkew time.Duration
	// OffloaderHeader names the header whose value "https" marks a request
	// that reached a TLS offloader (web/secure/offloader_header); default
	// X-Forwarded-Proto.
	OffloaderHeader string
	// OnAccess, when set, runs inside the transaction that turns the request
	// token into an access token, with that transaction's store: the
	// integration becomes Active atomically with the exchange (docs/magento-behaviour.md §5.2
	// step 8.6). An error rolls the exchange back and is returned.
	OnAccess func(ctx context.Context, tx Store, consumerID int64) error
	// CleanupProbability returns the live value of
	// oauth/cleanup/cleanup_probability: after each nonce it stores, the
	// provider runs the store's [Cleaner] nonce cleanup with probability
	// 1/N, and after each token it stores, the request-token cleanup; 0
	// disables both. Nil means 100; a negative value means 0.
	CleanupProbability func() int
	// CleanupExpiration returns the live value of
	// oauth/cleanup/expiration_period: the cleanup deletes nonces whose
	// timestamp, and request tokens whose creation, is at least this old.
	// Nil, or a value ≤ 0, means 120 minutes.
	CleanupExpiration func() time.Duration
	// Logger receives info records of token exchanges and debug records of
	// rejections; never secrets, tokens or signatures. Nil discards.
	Logger *slog.Logger
	// DiagnoseSignatures turns on the signature doctor: on every signature
	// mismatch the provider recomputes the signature as the usual client
	// mistakes would and attaches the first that reproduces the client's to
	// the error's [SignatureError] (see [DiagnosisOf]) and to the debug log.
	// The answer to the client does not change. Off by default: it is a
	// development aid, and a failure then costs up to about twenty more
	// HMACs; the emulator turns it on.
	DiagnoseSignatures bool
}

// Default values of [Config].
const (
	DefaultConsumerExpiry     = 300 * time.Second
	DefaultTimestampSkew      = 600 * time.Second
	DefaultCleanupProbability = 100
	DefaultCleanupExpiration  = 120 * time.Minute
)

// Provider is Magento's OAuth 1.0a provider: the two token endpoints of the
// activation handshake and the verification of signed REST requests. It is
// safe for concurrent use.
//
// Every failure it returns is a *magerr.Error with Magento's message and
// class (and so its status), except [ErrNotOAuth] from Verify and the
// errors of the store or the request body, which are internal (500).
type Provider struct {
	store     Store
	profile   signature.Profile
	now       func() time.Time
	rand      io.Reader
	expiry    func() time.Duration
	skew      int64 // seconds
	offloader string
	onAccess  func(ctx context.Context, tx Store, consumerID int64) error
	log       *slog.Logger
	diagnose  bool

	owners             OwnerStore // nil when the store has none
	cleaner            Cleaner    // nil when the store has none
	cleanupProbability func() int
	cleanupExpiration  func() time.Duration
}

// NewProvider returns a provider over s configured by c.
func NewProvider(s Store, c Config) *Provider {
	p := &Provider{
		store:     s,
		profile:   c.Profile,
		now:       c.Now,
		rand:      c.Rand,
		expiry:    c.ConsumerExpiry,
		skew:      int64(DefaultTimestampSkew / time.Second),
		offloader: http.CanonicalHeaderKey(c.OffloaderHeader),
		onAccess:  c.OnAccess,
		log:       c.Logger,
		diagnose:  c.DiagnoseSignatures,

		cleanupProbability: c.CleanupProbability,
		cleanupExpiration:  c.CleanupExpiration,
	}
	p.cleaner, _ = s.(Cleaner)
	p.owners, _ = s.(OwnerStore)
	if p.now == nil {
		p.now = time.Now
	}
	if c.TimestampSkew >= time.Second {
		p.skew = int64(c.TimestampSkew / time.Second)
	}
	if c.OffloaderHeader == "" {
		p.offloader = signature.DefaultOffloaderHeader
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	return p
}

// OffloaderHeader returns the header whose value "https" marks a request
// that reached a TLS offloader, as the provider reads the request URL; a
// host deciding whether a request is secure reads the same header.
func (p *Provider) OffloaderHeader() string { return p.offloader }

// Identity is the outcome of a verified REST request: who signed it, the
// consumer and its access token. What the consumer may call is its
// integration's ACL grant, which the caller of Verify looks up.
type Identity struct {
	ConsumerID int64
	TokenID    int64
	// Owner is what the store's [OwnerStore] read with the credentials;
	// nil when the store has no such capability.
	Owner any
}

// step is the operation a request is checked for.
type step int

const (
	stepRequest step = iota // POST /oauth/token/request
	stepAccess              // POST /oauth/token/access
	stepVerify              // a signed REST call
)

// Required parameters per step (Oauth::_validateProtocolParams and its
// callers, docs/magento-behaviour.md §5.2, §7.3).
var required = [...][]string{
	stepRequest: {signature.ParamConsumerKey, signature.ParamSignature, signature.ParamSignatureMethod, signature.ParamNonce, signature.ParamTimestamp},
	stepAccess:  {signature.ParamConsumerKey, signature.ParamSignature, signature.ParamSignatureMethod, signature.ParamNonce, signature.ParamTimestamp, signature.ParamToken, signature.ParamVerifier},
	stepVerify:  {signature.ParamConsumerKey, signature.ParamSignature, signature.ParamSignatureMethod, signature.ParamNonce, signature.ParamTimestamp, signature.ParamToken},
}

// RequestToken serves the request-token step (docs/magento-behaviour.md §5.2 step 7): protocol
// checks, consumer, nonce, consumer expiry, signature keyed with the
// consumer secret alone, then the consumer's verifier row becomes a request
// token, which it returns.
func (p *Provider) RequestToken(ctx context.Context, r *http.Request) (Token, error) {
	c, _, err := p.check(ctx, r, stepRequest, nil)
	if err != nil {
		return Token{}, err
	}
	t, err := IssueRequestToken(ctx, p.store, c.ID, p.rand)
	if err != nil {
		p.log.DebugContext(ctx, "oauth: request token refused", "consumer_id", c.ID, "error", err)
		return Token{}, err
	}
	p.maybeCleanup(ctx, p.now(), cleanupRequestTokens)
	return t, nil
}

// AccessToken serves the access-token step (docs/magento-behaviour.md §5.2 step 8): protocol
// checks, consumer, nonce, request token and verifier, signature keyed with
// the request-token secret; then, in one transaction, the row becomes an
// access token and Config.OnAccess runs. It returns the access token.
func (p *Provider) AccessToken(ctx context.Context, r *http.Request) (Token, error) {
	c, _, err := p.check(ctx, r, stepAccess, nil)
	if err != nil {
		return Token{}, err
	}
	var t Token
	err = p.store.Atomic(ctx, func(ctx context.Context, tx Store) error {
		var err error
		if t, err = IssueAccessToken(ctx, tx, c.ID, p.rand); err != nil {
			return err
		}
		if p.onAccess != nil {
			return p.onAccess(ctx, tx, c.ID)
		}
		return nil
	})
	if err != nil {
		p.log.DebugContext(ctx, "oauth: access token refused", "consumer_id", c.ID, "error", err)
		return Token{}, err
	}
	// Magento logs the request token's value here; secrets and tokens stay
	// out of our logs, so only the consumer is named.
	p.log.InfoContext(ctx, "Request token was exchanged to obtain access token for consumer "+strconv.FormatInt(c.ID, 10), "consumer_id", c.ID)
	p.maybeCleanup(ctx, p.now(), cleanupRequestTokens)
	return t, nil
}

// Verify checks a signed REST request (docs/magento-behaviour.md §7.3): protocol checks,
// consumer, nonce, access token (exists, belongs to the consumer, is an
// access token, not revoked), signature keyed with the access-token secret.
// It reads the store once and records the nonce once. A request without
// OAuth parameters gives [ErrNotOAuth]. The integration's status is not
// checked here: that is the caller's mapping of the consumer to a user.
func (p *Provider) Verify(ctx context.Context, r *http.Request) (Identity, error) {
	var owner any
	c, t, err := p.check(ctx, r, stepVerify, &owner)
	if err != nil {
		return Identity{}, err
	}
	return Identity{ConsumerID: c.ID, TokenID: t.ID, Owner: owner}, nil
}
