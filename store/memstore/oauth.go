package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// --- consumers ---

func (t *tx) CreateConsumer(ctx context.Context, c *oauth.Consumer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rec := *c
	rec.ID = 0
	if err := t.consumerUnique(&rec); err != nil {
		return err
	}
	rec.ID = t.seq.consumer.Add(1)
	t.indexConsumer(nil, &rec)
	t.newConsumers = append(t.newConsumers, rec.ID)
	c.ID = rec.ID
	return nil
}

// consumerUnique reports whether another row than c's holds its key or
// secret.
func (t *tx) consumerUnique(c *oauth.Consumer) error {
	if k, ok := consumerKey(c); ok {
		if other := t.consumerByKey(k); other != nil && other.ID != c.ID {
			return fmt.Errorf("memstore: consumer key: %w", store.ErrExists)
		}
	}
	if k, ok := consumerSecret(c); ok {
		if other := t.consumerBySecret(k); other != nil && other.ID != c.ID {
			return fmt.Errorf("memstore: consumer secret: %w", store.ErrExists)
		}
	}
	return nil
}

// consumerRow returns the stored consumer with id, or ErrNotFound.
func (t *tx) consumerRow(id int64) (*oauth.Consumer, error) {
	c := t.consumerByID(id)
	if c == nil {
		return nil, errConsumerNotFound
	}
	return c, nil
}

func (t *tx) Consumer(ctx context.Context, id int64) (oauth.Consumer, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, err
	}
	c, err := t.consumerRow(id)
	if err != nil {
		return oauth.Consumer{}, err
	}
	return *c, nil
}

func (t *tx) ConsumerByKey(ctx context.Context, key string) (oauth.Consumer, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, err
	}
	c := t.consumerByKey(key)
	if c == nil {
		return oauth.Consumer{}, errConsumerNotFound
	}
	return *c, nil
}

func (t *tx) UpdateConsumer(ctx context.Context, c oauth.Consumer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cur, err := t.consumerRow(c.ID)
	if err != nil {
		return err
	}
	if err := t.consumerUnique(&c); err != nil {
		return err
	}
	rec := c
	t.indexConsumer(cur, &rec)
	return nil
}

func (t *tx) DeleteConsumer(ctx context.Context, id int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cur, err := t.consumerRow(id)
	if err != nil {
		return err
	}
	if tok := t.tokenByConsumer(id); tok != nil {
		t.indexToken(tok, nil)
	}
	t.dropNonces = append(t.dropNonces, id)
	t.indexConsumer(cur, nil)
	return nil
}

// errConsumerNotFound is a consumer miss, allocated once: a flood of
// unknown keys must not cost an error value each.
var errConsumerNotFound = fmt.Errorf("memstore: consumer: %w", store.ErrNotFound)

// --- tokens ---

func (t *tx) CreateToken(ctx context.Context, tok *oauth.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := t.consumerRow(tok.ConsumerID); err != nil {
		return err
	}
	if t.tokenByConsumer(tok.ConsumerID) != nil {
		return fmt.Errorf("memstore: token of consumer %d: %w", tok.ConsumerID, store.ErrExists)
	}
	if k, ok := tokenValue(tok); ok && t.tokenByValue(k) != nil {
		return fmt.Errorf("memstore: token value: %w", store.ErrExists)
	}
	rec := *tok
	rec.ID = t.seq.token.Add(1)
	t.indexToken(nil, &rec)
	tok.ID = rec.ID
	return nil
}

// foundToken copies a token row found in an index, or reports that there
// is none.
func foundToken(tok *oauth.Token) (oauth.Token, error) {
	if tok == nil {
		return oauth.Token{}, errTokenNotFound
	}
	return *tok, nil
}

var errTokenNotFound = fmt.Errorf("memstore: token: %w", store.ErrNotFound)

func (t *tx) TokenByConsumer(ctx context.Context, consumerID int64) (oauth.Token, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Token{}, err
	}
	if consumerID == 0 {
		return foundToken(nil)
	}
	return foundToken(t.tokenByConsumer(consumerID))
}

func (t *tx) TokenByValue(ctx context.Context, token string) (oauth.Token, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Token{}, err
	}
	return foundToken(t.tokenByValue(token))
}

func (t *tx) UpdateToken(ctx context.Context, tok oauth.Token, from oauth.TokenType) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cur := t.tokenByID(tok.ID)
	if cur == nil {
		return errTokenNotFound
	}
	if cur.Type != from {
		return fmt.Errorf("memstore: token %d is %s, not %s: %w", tok.ID, cur.Type, from, store.ErrConflict)
	}
	if k, ok := tokenValue(&tok); ok {
		if other := t.tokenByValue(k); other != nil && other.ID != tok.ID {
			return fmt.Errorf("memstore: token value: %w", store.ErrExists)
		}
	}
	rec := tok
	rec.ConsumerID = cur.ConsumerID
	rec.CreatedAt = cur.CreatedAt
	t.indexToken(cur, &rec)
	return nil
}

func (t *tx) DeleteToken(ctx context.Context, consumerID int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tok := t.tokenByConsumer(consumerID)
	if tok == nil || consumerID == 0 {
		return errTokenNotFound
	}
	t.indexToken(tok, nil)
	return nil
}

// --- nonces and the hot-path read ---

func (t *tx) UseNonce(ctx context.Context, consumerID int64, nonce string, timestamp int64) error {
	if _, err := t.Consumer(ctx, consumerID); err != nil {
		return err
	}
	v := nonceValueOf(nonce)
	if _, fresh := t.nonces.reserve(consumerID, v, timestamp, true); !fresh {
		return fmt.Errorf("memstore: nonce of consumer %d: %w", consumerID, store.ErrExists)
	}
	t.usedNonces = append(t.usedNonces, nonceKey{consumerID, v})
	return nil
}

func (t *tx) ConsumerToken(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, error) {
	c, err := t.ConsumerByKey(ctx, key)
	if err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, err
	}
	if token == "" {
		return c, oauth.Token{}, false, nil
	}
	tok := t.tokenByValue(token)
	if tok == nil {
		return c, oauth.Token{}, false, nil
	}
	return c, *tok, true, nil
}

// --- Store: each call in its own transaction ---

// CreateConsumer implements [oauth.ConsumerStore].
func (s *Store) CreateConsumer(ctx context.Context, c *oauth.Consumer) error {
	return s.write(ctx, func(t *tx) error { return t.CreateConsumer(ctx, c) })
}

// Consumer implements [oauth.ConsumerStore].
func (s *Store) Consumer(ctx context.Context, id int64) (c oauth.Consumer, err error) {
	err = s.read(ctx, func(t *tx) error { c, err = t.Consumer(ctx, id); return err })
	return c, err
}

// ConsumerByKey implements [oauth.ConsumerStore].
func (s *Store) ConsumerByKey(ctx context.Context, key string) (c oauth.Consumer, err error) {
	err = s.read(ctx, func(t *tx) error { c, err = t.ConsumerByKey(ctx, key); return err })
	return c, err
}

// UpdateConsumer implements [oauth.ConsumerStore].
func (s *Store) UpdateConsumer(ctx context.Context, c oauth.Consumer) error {
	return s.write(ctx, func(t *tx) error { return t.UpdateConsumer(ctx, c) })
}

// DeleteConsumer implements [oauth.ConsumerStore].
func (s *Store) DeleteConsumer(ctx context.Context, id int64) error {
	return s.write(ctx, func(t *tx) error { return t.DeleteConsumer(ctx, id) })
}

// CreateToken implements [oauth.TokenStore].
func (s *Store) CreateToken(ctx context.Context, tok *oauth.Token) error {
	return s.write(ctx, func(t *tx) error { return t.CreateToken(ctx, tok) })
}

// TokenByConsumer implements [oauth.TokenStore].
func (s *Store) TokenByConsumer(ctx context.Context, consumerID int64) (tok oauth.Token, err error) {
	err = s.read(ctx, func(t *tx) error { tok, err = t.TokenByConsumer(ctx, consumerID); return err })
	return tok, err
}

// TokenByValue implements [oauth.TokenStore].
func (s *Store) TokenByValue(ctx context.Context, token string) (tok oauth.Token, err error) {
	err = s.read(ctx, func(t *tx) error { tok, err = t.TokenByValue(ctx, token); return err })
	return tok, err
}

// UpdateToken implements [oauth.TokenStore].
func (s *Store) UpdateToken(ctx context.Context, tok oauth.Token, from oauth.TokenType) error {
	return s.write(ctx, func(t *tx) error { return t.UpdateToken(ctx, tok, from) })
}

// DeleteToken implements [oauth.TokenStore].
func (s *Store) DeleteToken(ctx context.Context, consumerID int64) error {
	return s.write(ctx, func(t *tx) error { return t.DeleteToken(ctx, consumerID) })
}

// UseNonce implements [oauth.NonceStore]. It takes no go-memdb
// transaction: the replay cache checks the consumer and records the nonce
// under one per-consumer lock.
func (s *Store) UseNonce(ctx context.Context, consumerID int64, nonce string, timestamp int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	exists, fresh := s.nonces.reserve(consumerID, nonceValueOf(nonce), timestamp, false)
	switch {
	case !exists:
		return fmt.Errorf("memstore: consumer %d: %w", consumerID, store.ErrNotFound)
	case !fresh:
		return fmt.Errorf("memstore: nonce of consumer %d: %w", consumerID, store.ErrExists)
	}
	return nil
}

// ConsumerToken implements [oauth.CredentialStore].
// It reads two indexes (index.go) under one shared lock, without a go-memdb
// transaction: this is the one read of every signed request.
func (s *Store) ConsumerToken(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, err
	}
	c, tok := s.idx.credentials(key, token)
	switch {
	case c == nil:
		return oauth.Consumer{}, oauth.Token{}, false, errConsumerNotFound
	case tok == nil:
		return *c, oauth.Token{}, false, nil
	}
	return *c, *tok, true, nil
}

// CleanupNonces implements [oauth.Cleaner]. Nonces are kept by timestamp,
// so a cleanup costs what it deletes, not what the store holds.
func (s *Store) CleanupNonces(ctx context.Context, before time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return s.nonces.cleanup(before.Unix()), nil
}

// CleanupRequestTokens implements [oauth.Cleaner]. It reads the request
// tokens from their own index, which access tokens stay out of, and
// deletes the old ones in one write transaction.
func (s *Store) CleanupRequestTokens(ctx context.Context, before time.Time) (tokens int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		var old []*oauth.Token
		// The writer reads the committed index without the lock (index.go);
		// its own deletes go to its pending set.
		for _, tok := range t.idx.committed.requestTokens {
			if !tok.CreatedAt.IsZero() && !tok.CreatedAt.After(before) {
				old = append(old, tok)
			}
		}
		for _, tok := range old {
			t.indexToken(tok, nil)
		}
		tokens = int64(len(old))
		return nil
	})
	if err != nil {
		return 0, err
	}
	return tokens, nil
}
