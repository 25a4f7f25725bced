package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/user"
)

// CallbackOOB is the callback URL of every integration token (Magento's
// CALLBACK_ESTABLISHED).
const CallbackOOB = "oob"

// Messages of the token lifecycle (docs/magento-behaviour.md §3.2, §5.2, §8.3).
const (
	msgTokenMissing       = "A token with consumer ID %1 does not exist"
	msgNotVerifier        = "Cannot create request token because consumer token is not a verifier token"
	msgNotRequest         = "Cannot get access token because consumer token is not a request token"
	msgConvertNotRequest  = "Cannot convert to access token due to token is not request type"
	maxCredentialAttempts = 4
)

// IssueVerifier returns the consumer's token row when it is a verifier,
// and otherwise creates one (Magento's createVerifierToken, docs/magento-behaviour.md §3.2 step
// 1): an existing verifier row is reused unchanged. It returns
// store.ErrExists if the consumer's row has already moved past the verifier
// state; the caller deletes it first when it reauthorizes.
func IssueVerifier(ctx context.Context, s TokenStore, consumerID int64, rnd io.Reader, now time.Time) (Token, error) {
	t, err := s.TokenByConsumer(ctx, consumerID)
	switch {
	case err == nil && t.Type == TokenVerifier:
		return t, nil
	case err == nil:
		return Token{}, fmt.Errorf("oauth: consumer %d: verifier: token row is %s: %w", consumerID, t.Type, store.ErrExists)
	case !errors.Is(err, store.ErrNotFound):
		return Token{}, fmt.Errorf("oauth: consumer %d: verifier: %w", consumerID, err)
	}
	for attempt := 0; ; attempt++ {
		t = Token{ConsumerID: consumerID, Type: TokenVerifier, CallbackURL: CallbackOOB, UserType: user.Integration, CreatedAt: now}
		if t.Token, err = NewCredential(rnd); err != nil {
			return Token{}, err
		}
		if t.Secret, err = NewCredential(rnd); err != nil {
			return Token{}, err
		}
		if t.Verifier, err = NewCredential(rnd); err != nil {
			return Token{}, err
		}
		err = s.CreateToken(ctx, &t)
		if err == nil {
			return t, nil
		}
		// A token value collision (one in 36^32) is retried; a second row for
		// the consumer is not.
		if !errors.Is(err, store.ErrExists) || attempt == maxCredentialAttempts {
			return Token{}, fmt.Errorf("oauth: consumer %d: verifier: %w", consumerID, err)
		}
		if _, lerr := s.TokenByConsumer(ctx, consumerID); lerr == nil {
			return Token{}, fmt.Errorf("oauth: consumer %d: verifier: %w", consumerID, err)
		}
	}
}

// IssueRequestToken moves the consumer's verifier row to a request token
// with a new token and secret, keeping the verifier (Magento's
// createRequestToken, docs/magento-behaviour.md §3.2 step 2). Its errors are Magento's OAuth
// errors: no row gives `A token with consumer ID %1 does not exist`, a row
// past the verifier state `Cannot create request token because consumer
// token is not a verifier token`. Two concurrent calls cannot both succeed.
func IssueRequestToken(ctx context.Context, s TokenStore, consumerID int64, rnd io.Reader) (Token, error) {
	t, err := s.TokenByConsumer(ctx, consumerID)
	if errors.Is(err, store.ErrNotFound) {
		return Token{}, magerr.New(magerr.OAuth, msgTokenMissing, strconv.FormatInt(consumerID, 10)).Wrap(err)
	}
	if err != nil {
		return Token{}, fmt.Errorf("oauth: consumer %d: request token: %w", consumerID, err)
	}
	if t.Type != TokenVerifier {
		return Token{}, magerr.New(magerr.OAuth, msgNotVerifier)
	}
	return advance(ctx, s, t, TokenRequest, msgNotVerifier, rnd)
}

// IssueAccessToken moves the consumer's request-token row to an access
// token with a new token and secret (Magento's convertToAccess, docs/magento-behaviour.md §3.2
// step 3). A row in another state gives `Cannot get access token because
// consumer token is not a request token`; of two concurrent calls exactly
// one succeeds, the other gets `Cannot convert to access token due to token
// is not request type`.
func IssueAccessToken(ctx context.Context, s TokenStore, consumerID int64, rnd io.Reader) (Token, error) {
	t, err := s.TokenByConsumer(ctx, consumerID)
	if errors.Is(err, store.ErrNotFound) {
		return Token{}, magerr.New(magerr.OAuth, msgTokenMissing, strconv.FormatInt(consumerID, 10)).Wrap(err)
	}
	if err != nil {
		return Token{}, fmt.Errorf("oauth: consumer %d: access token: %w", consumerID, err)
	}
	if t.Type != TokenRequest {
		return Token{}, magerr.New(magerr.OAuth, msgNotRequest)
	}
	return advance(ctx, s, t, TokenAccess, msgConvertNotRequest, rnd)
}

// advance gives t a new token and secret in state to, by compare-and-set on
// its current state.
func advance(ctx context.Context, s TokenStore, t Token, to TokenType, lost string, rnd io.Reader) (Token, error) {
	from := t.Type
	for attempt := 0; ; attempt++ {
		var err error
		t.Type = to
		t.UserType = user.Integration
		if t.Token, err = NewCredential(rnd); err != nil {
			return Token{}, err
		}
		if t.Secret, err = NewCredential(rnd); err != nil {
			return Token{}, err
		}
		err = s.UpdateToken(ctx, t, from)
		switch {
		case err == nil:
			return t, nil
		case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
			return Token{}, magerr.New(magerr.OAuth, lost).Wrap(err)
		case errors.Is(err, store.ErrExists) && attempt < maxCredentialAttempts:
			continue
		default:
			return Token{}, fmt.Errorf("oauth: consumer %d: %s token: %w", t.ConsumerID, to, err)
		}
	}
}
