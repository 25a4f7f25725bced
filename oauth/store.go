package oauth

import (
	"context"
	"time"
)

// ConsumerStore keeps consumers. Implementations must be safe for
// concurrent use, copy records in and out (a caller can never change a
// stored record through a value it passed or got), check ctx.Err() before
// doing work, and wrap the sentinels of package store.
type ConsumerStore interface {
	// CreateConsumer stores c and sets c.ID to the new, positive id. It
	// returns store.ErrExists if the key or the secret is already taken.
	CreateConsumer(ctx context.Context, c *Consumer) error
	// Consumer returns the consumer with id, or store.ErrNotFound.
	Consumer(ctx context.Context, id int64) (Consumer, error)
	// ConsumerByKey returns the consumer with key (exact match), or
	// store.ErrNotFound.
	ConsumerByKey(ctx context.Context, key string) (Consumer, error)
	// UpdateConsumer replaces the consumer with c.ID. It returns
	// store.ErrNotFound if there is none and store.ErrExists if the new key
	// or secret belongs to another consumer.
	UpdateConsumer(ctx context.Context, c Consumer) error
	// DeleteConsumer removes the consumer with its token row and all its
	// nonces (Magento's after-delete hook, docs/magento-behaviour.md §2.6). It returns
	// store.ErrNotFound if there is none.
	DeleteConsumer(ctx context.Context, id int64) error
}

// TokenStore keeps the one integration token row each consumer may have.
// The same rules as [ConsumerStore] apply.
type TokenStore interface {
	// CreateToken stores t and sets t.ID. It returns store.ErrExists if the
	// consumer already has a token row or t.Token is taken, and
	// store.ErrNotFound if the consumer does not exist.
	CreateToken(ctx context.Context, t *Token) error
	// TokenByConsumer returns the consumer's token row, or store.ErrNotFound.
	TokenByConsumer(ctx context.Context, consumerID int64) (Token, error)
	// TokenByValue returns the row whose Token is token, or store.ErrNotFound.
	TokenByValue(ctx context.Context, token string) (Token, error)
	// UpdateToken replaces the row with t.ID if, and only if, its stored
	// Type is from: a compare-and-set, so that of two concurrent exchanges
	// of one request token exactly one succeeds. It returns
	// store.ErrNotFound if the row is gone, store.ErrConflict if its type is
	// no longer from, and store.ErrExists if t.Token belongs to another row.
	// ConsumerID and CreatedAt are kept from the stored row.
	UpdateToken(ctx context.Context, t Token, from TokenType) error
	// DeleteToken removes the consumer's token row. It returns
	// store.ErrNotFound if there is none.
	DeleteToken(ctx context.Context, consumerID int64) error
}

// NonceStore remembers nonces so each is accepted once per consumer.
type NonceStore interface {
	// UseNonce records nonce for the consumer with the request's timestamp.
	// It returns store.ErrNotFound if the consumer does not exist and
	// store.ErrExists if the consumer already used the nonce; of
	// concurrent calls with the same consumer and nonce exactly one
	// succeeds, across processes where the backend is shared.
	UseNonce(ctx context.Context, consumerID int64, nonce string, timestamp int64) error
}

// CredentialStore is the read on the request-verification hot path: one
// call fetches what Verify needs to check a signed request.
type CredentialStore interface {
	// ConsumerToken returns the consumer with key and, when token is not
	// empty, the token row whose value is token, whoever it belongs to. found
	// reports whether such a row exists. It returns store.ErrNotFound when
	// there is no consumer with key.
	ConsumerToken(ctx context.Context, key, token string) (c Consumer, t Token, found bool, err error)
}

// OwnerStore is the optional capability of a store to read, in the same
// query as [CredentialStore.ConsumerToken], the record that owns the
// consumer (for the stores of package integration, the consumer's
// integration), so that a verified request needs no second read to learn
// who signed it. A [Provider] whose store implements it calls it on the
// verify step instead of ConsumerToken and hands owner on in
// [Identity].Owner; the order and outcome of the checks do not change.
type OwnerStore interface {
	// ConsumerTokenOwner is ConsumerToken that also returns the owner of
	// the consumer, as the implementation documents it (package integration
	// defines the value its stores return).
	ConsumerTokenOwner(ctx context.Context, key, token string) (c Consumer, t Token, found bool, owner any, err error)
}

// Store is everything the OAuth provider keeps.
type Store interface {
	ConsumerStore
	TokenStore
	NonceStore
	CredentialStore
	// Atomic runs fn with a Store whose writes commit together, when fn
	// returns nil, or not at all. fn's error is returned unchanged. The tx
	// handed to fn implements every store interface the receiver implements
	// (integration.Store included), so packages above oauth may type-assert
	// it to their own Store. tx must not be used after fn returns. Atomic
	// calls do not nest: fn must use tx, not the receiver.
	Atomic(ctx context.Context, fn func(ctx context.Context, tx Store) error) error
}

// Cleaner is the optional capability of a store to forget what Magento's
// probabilistic cleanup deletes (docs/magento-behaviour.md §3.4). Magento runs two cleanups: the
// nonce model, after each nonce it saves, deletes old nonces; the token
// model, after each token it saves, deletes old request tokens; each runs
// with probability 1/N (oauth/cleanup/cleanup_probability). A [Provider]
// over a store that implements Cleaner does the same; over a store that
// does not, nonces and stale request tokens are kept for ever.
type Cleaner interface {
	// CleanupNonces deletes the nonces whose timestamp (Unix seconds, as
	// oauth_timestamp) is at or before before, and returns how many. A
	// deleted nonce may be used again, as in Magento.
	CleanupNonces(ctx context.Context, before time.Time) (int64, error)
	// CleanupRequestTokens deletes the token rows of type request created
	// at or before before (a row without a creation time is kept), and
	// returns how many.
	CleanupRequestTokens(ctx context.Context, before time.Time) (int64, error)
}
