package oauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/internal/php"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store"
)

// check runs every check of step on r in Magento's order (docs/magento-behaviour.md §8.2, §5.2
// steps 7–8, §7.3) and returns the consumer and, for the access and verify
// steps, the token row. The nonce is recorded before the signature is
// checked, so a bad signature burns it.
//
// When owner is not nil and the store is an [OwnerStore], the credentials
// are read with their owner, which is stored in *owner.
func (p *Provider) check(ctx context.Context, r *http.Request, st step, owner *any) (Consumer, Token, error) {
	ps, err := p.profile.Extract(r, p.offloader)
	defer ps.Release()
	if err != nil {
		return Consumer{}, Token{}, err // a body cut short is the client's fault (400)
	}
	if st == stepVerify && !ps.IsOAuth() {
		return Consumer{}, Token{}, ErrNotOAuth
	}

	if err := p.checkProtocol(ps, st); err != nil {
		return Consumer{}, Token{}, err
	}
	key, _ := ps.Get(signature.ParamConsumerKey)
	if key.Array {
		return Consumer{}, Token{}, errPHPType
	}
	if len(key.Value) != CredentialLength {
		return Consumer{}, Token{}, ErrConsumerKeyLength
	}
	var tokenValue string
	if st != stepRequest {
		tok, _ := ps.Get(signature.ParamToken) // a string of 32 bytes by now
		tokenValue = tok.Value
	}
	var (
		c     Consumer
		t     Token
		found bool
	)
	if owner != nil && p.owners != nil {
		c, t, found, *owner, err = p.owners.ConsumerTokenOwner(ctx, key.Value, tokenValue)
	} else {
		c, t, found, err = p.store.ConsumerToken(ctx, key.Value, tokenValue)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Consumer{}, Token{}, ErrConsumerMissing.Wrap(err)
	case err != nil:
		return Consumer{}, Token{}, fmt.Errorf("oauth: consumer by key: %w", err)
	}

	now := p.now()
	if err := p.useNonce(ctx, ps, c.ID, now); err != nil {
		return Consumer{}, Token{}, err
	}
	p.maybeCleanup(ctx, now, cleanupNonces)

	tokenSecret := ""
	switch st {
	case stepRequest:
		if !p.fresh(c, now) {
			return Consumer{}, Token{}, ErrConsumerExpired
		}
	case stepAccess:
		if err := checkRequestToken(ps, c, t, found); err != nil {
			return Consumer{}, Token{}, err
		}
		tokenSecret = t.Secret
	case stepVerify:
		if err := checkAccessToken(c, t, found); err != nil {
			return Consumer{}, Token{}, err
		}
		tokenSecret = t.Secret
	}

	if err := ps.BuildBase(); err != nil {
		if errors.Is(err, signature.ErrScheme) {
			return Consumer{}, Token{}, magerr.New(magerr.Internal, "Invalid URL provided; must be an HTTP or HTTPS scheme").Wrap(err)
		}
		return Consumer{}, Token{}, err
	}
	if ps.IsArray(signature.ParamSignature) {
		return Consumer{}, Token{}, errPHPType
	}
	method, _ := ps.Get(signature.ParamSignatureMethod)
	if !ps.Matches(method.Value, c.Secret, tokenSecret) {
		return Consumer{}, Token{}, p.signatureInvalid(ctx, c.ID, ps, c.Secret, tokenSecret)
	}
	return c, t, nil
}

// checkProtocol is Oauth::_validateProtocolParams up to the consumer:
// version, required parameters (aggregated), token length, signature
// method.
func (p *Provider) checkProtocol(ps *signature.Signed, st step) error {
	if v, ok := ps.Get(signature.ParamVersion); ok {
		if v.Array {
			return errPHPType
		}
		if !php.LooseEqualsOneDotZero(v.Value) {
			return magerr.New(magerr.Input, msgVersion, v.Value)
		}
	}
	var missing []*magerr.Error
	for _, name := range required[st] {
		if !ps.Has(name) {
			missing = append(missing, magerr.Required(name))
		}
	}
	if len(missing) > 0 {
		return magerr.Join(missing...)
	}
	if tok, ok := ps.Get(signature.ParamToken); ok {
		if tok.Array {
			return errPHPType
		}
		if len(tok.Value) != CredentialLength {
			return ErrTokenLength
		}
	}
	m, _ := ps.Get(signature.ParamSignatureMethod)
	if m.Array {
		return errPHPType
	}
	if !p.profile.Supports(m.Value) {
		return magerr.New(magerr.Input, msgSignatureMethod, m.Value)
	}
	return nil
}

// useNonce is Nonce\Generator::validateNonce (docs/magento-behaviour.md §4): the timestamp must
// be positive and at most now+skew, then (consumer, nonce) is recorded
// once. Every failure but a reused nonce reads `An error occurred
// validating the nonce`.
func (p *Provider) useNonce(ctx context.Context, ps *signature.Signed, consumerID int64, now time.Time) error {
	nonce, _ := ps.Get(signature.ParamNonce)
	ts, _ := ps.Get(signature.ParamTimestamp)
	if nonce.Array || ts.Array {
		return errPHPType
	}
	t := php.Intval(ts.Value)
	if t <= 0 || t > now.Unix()+p.skew {
		return ErrNonce.Wrap(errTimestamp)
	}
	stored, truncated := storedNonce(nonce.Value)
	err := p.store.UseNonce(ctx, consumerID, stored, t)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrExists) && !truncated && nonce.Value != "" && nonce.Value != "0":
		return magerr.New(magerr.OAuth, msgNonceUsed, strconv.FormatInt(consumerID, 10)).Wrap(err)
	default:
		// Magento tests the loaded row's nonce for truth, so a reused "" or
		// "0" is not seen as used; the insert then fails on the primary key
		// and the failure is masked like any other.
		return ErrNonce.Wrap(err)
	}
}

// MaxNonceLength is the width of Magento's oauth_nonce.nonce column,
// varchar(32): the store keeps at most that many characters of a nonce
// (docs/magento-behaviour.md §4), so no caller can grow it with long ones.
const MaxNonceLength = 32

// storedNonce returns what Magento's insert keeps of nonce (its first 32
// characters: MySQL, in Magento's SQL mode, truncates silently) and
// whether that cut anything. A cut nonce is looked up whole first, so it
// is never found, and its insert then fails on the primary key when its
// first 32 characters were used before: the masked error, not "already
// being used".
func storedNonce(nonce string) (string, bool) {
	if len(nonce) <= MaxNonceLength {
		return nonce, false
	}
	n := 0
	for i := range nonce {
		if n == MaxNonceLength {
			return nonce[:i], true
		}
		n++
	}
	return nonce, false
}

// fresh reports whether the consumer may still start the token exchange:
// expiration_period > now − updated_at, in whole seconds (docs/magento-behaviour.md §2.4).
func (p *Provider) fresh(c Consumer, now time.Time) bool {
	expiry := DefaultConsumerExpiry
	if p.expiry != nil {
		if d := p.expiry(); d > 0 {
			expiry = d
		}
	}
	// Whole seconds, compared as seconds: a Duration would overflow for an
	// UpdatedAt centuries ago (the zero time).
	elapsed := now.Unix() - c.UpdatedAt.Unix()
	return int64(expiry/time.Second) > elapsed
}

// checkRequestToken is Token\Provider::validateRequestToken (docs/magento-behaviour.md §5.2 step
// 8.2).
func checkRequestToken(ps *signature.Signed, c Consumer, t Token, found bool) error {
	switch {
	case !found:
		return ErrTokenNotExist
	case t.ConsumerID != c.ID:
		return ErrRequestForeign
	case t.Type != TokenRequest:
		return ErrTokenUsed
	}
	v, _ := ps.Get(signature.ParamVerifier)
	switch {
	case v.Array:
		return ErrVerifierInvalid
	case len(v.Value) != CredentialLength:
		return ErrVerifierLength
	case subtle.ConstantTimeCompare([]byte(t.Verifier), []byte(v.Value)) != 1:
		return ErrVerifierMismatch
	}
	return nil
}

// checkAccessToken is Token\Provider::validateAccessTokenRequest (docs/magento-behaviour.md
// §7.3 step 3).
func checkAccessToken(c Consumer, t Token, found bool) error {
	switch {
	case !found:
		return ErrTokenNotExist
	case t.ConsumerID != c.ID:
		return ErrTokenForeign
	case t.Type != TokenAccess:
		return ErrNotAccess
	case t.Revoked:
		return ErrRevoked
	}
	return nil
}
