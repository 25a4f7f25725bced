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
	if err := t.consumerUnique(*c, 0); err != nil {
		return err
	}
	rec := *c
	rec.ID = t.seq.consumer.Add(1)
	if err := t.txn.Insert(tableConsumer, &rec); err != nil {
		return fmt.Errorf("memstore: insert consumer: %w", err)
	}
	t.newConsumers = append(t.newConsumers, rec.ID)
	c.ID = rec.ID
	return nil
}

func (t *tx) consumerUnique(c oauth.Consumer, self int64) error {
	for _, idx := range [...]struct{ name, value string }{{"key", c.Key}, {"secret", c.Secret}} {
		obj, err := t.first(tableConsumer, idx.name, idx.value)
		if err != nil {
			return err
		}
		if obj != nil && obj.(*oauth.Consumer).ID != self {
			return fmt.Errorf("memstore: consumer %s: %w", idx.name, store.ErrExists)
		}
	}
	return nil
}

func (t *tx) consumer(index string, arg any) (oauth.Consumer, error) {
	obj, err := t.first(tableConsumer, index, arg)
	if err != nil {
		return oauth.Consumer{}, err
	}
	if obj == nil {
		return oauth.Consumer{}, fmt.Errorf("memstore: consumer: %w", store.ErrNotFound)
	}
	return *obj.(*oauth.Consumer), nil
}

func (t *tx) Consumer(ctx context.Context, id int64) (oauth.Consumer, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, err
	}
	return t.consumer("id", id)
}

func (t *tx) ConsumerByKey(ctx context.Context, key string) (oauth.Consumer, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, err
	}
	return t.consumer("key", key)
}

func (t *tx) UpdateConsumer(ctx context.Context, c oauth.Consumer) error {
	if _, err := t.Consumer(ctx, c.ID); err != nil {
		return err
	}
	if err := t.consumerUnique(c, c.ID); err != nil {
		return err
	}
	rec := c
	if err := t.txn.Insert(tableConsumer, &rec); err != nil {
		return fmt.Errorf("memstore: update consumer: %w", err)
	}
	return nil
}

func (t *tx) DeleteConsumer(ctx context.Context, id int64) error {
	c, err := t.Consumer(ctx, id)
	if err != nil {
		return err
	}
	if _, err := t.txn.DeleteAll(tableToken, "consumer", id); err != nil {
		return fmt.Errorf("memstore: delete tokens of consumer %d: %w", id, err)
	}
	t.dropNonces = append(t.dropNonces, id)
	if err := t.txn.Delete(tableConsumer, &c); err != nil {
		return fmt.Errorf("memstore: delete consumer %d: %w", id, err)
	}
	return nil
}

// --- tokens ---

func (t *tx) CreateToken(ctx context.Context, tok *oauth.Token) error {
	if _, err := t.Consumer(ctx, tok.ConsumerID); err != nil {
		return err
	}
	if _, err := t.token("consumer", tok.ConsumerID); err == nil {
		return fmt.Errorf("memstore: token of consumer %d: %w", tok.ConsumerID, store.ErrExists)
	}
	if _, err := t.token("token", tok.Token); err == nil {
		return fmt.Errorf("memstore: token value: %w", store.ErrExists)
	}
	rec := *tok
	rec.ID = t.seq.token.Add(1)
	if err := t.txn.Insert(tableToken, &rec); err != nil {
		return fmt.Errorf("memstore: insert token: %w", err)
	}
	tok.ID = rec.ID
	return nil
}

func (t *tx) token(index string, arg any) (oauth.Token, error) {
	obj, err := t.first(tableToken, index, arg)
	if err != nil {
		return oauth.Token{}, err
	}
	if obj == nil {
		return oauth.Token{}, fmt.Errorf("memstore: token: %w", store.ErrNotFound)
	}
	return *obj.(*oauth.Token), nil
}

func (t *tx) TokenByConsumer(ctx context.Context, consumerID int64) (oauth.Token, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Token{}, err
	}
	return t.token("consumer", consumerID)
}

func (t *tx) TokenByValue(ctx context.Context, token string) (oauth.Token, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Token{}, err
	}
	return t.token("token", token)
}

func (t *tx) UpdateToken(ctx context.Context, tok oauth.Token, from oauth.TokenType) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cur, err := t.token("id", tok.ID)
	if err != nil {
		return err
	}
	if cur.Type != from {
		return fmt.Errorf("memstore: token %d is %s, not %s: %w", tok.ID, cur.Type, from, store.ErrConflict)
	}
	if other, err := t.token("token", tok.Token); err == nil && other.ID != tok.ID {
		return fmt.Errorf("memstore: token value: %w", store.ErrExists)
	}
	rec := tok
	rec.ConsumerID = cur.ConsumerID
	rec.CreatedAt = cur.CreatedAt
	if err := t.txn.Insert(tableToken, &rec); err != nil {
		return fmt.Errorf("memstore: update token: %w", err)
	}
	return nil
}

func (t *tx) DeleteToken(ctx context.Context, consumerID int64) error {
	tok, err := t.TokenByConsumer(ctx, consumerID)
	if err != nil {
		return err
	}
	if err := t.txn.Delete(tableToken, &tok); err != nil {
		return fmt.Errorf("memstore: delete token of consumer %d: %w", consumerID, err)
	}
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
	obj, err := t.first(tableToken, "token", token)
	if err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, err
	}
	if obj == nil {
		return c, oauth.Token{}, false, nil
	}
	return c, *obj.(*oauth.Token), true, nil
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
// It reads the credential cache, not a go-memdb transaction: this is the
// one read of every signed request.
func (s *Store) ConsumerToken(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, err
	}
	c, tok := s.creds.lookup(key, token)
	switch {
	case c == nil:
		return oauth.Consumer{}, oauth.Token{}, false, errConsumerNotFound
	case tok == nil:
		return *c, oauth.Token{}, false, nil
	}
	return *c, *tok, true, nil
}

// errConsumerNotFound is ConsumerToken's miss, allocated once: a flood of
// unknown keys must not cost an error value each.
var errConsumerNotFound = fmt.Errorf("memstore: consumer: %w", store.ErrNotFound)

// CleanupNonces implements [oauth.Cleaner]. Nonces are kept by timestamp,
// so a cleanup costs what it deletes, not what the store holds.
func (s *Store) CleanupNonces(ctx context.Context, before time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return s.nonces.cleanup(before.Unix()), nil
}

// CleanupRequestTokens implements [oauth.Cleaner]. It finds the request
// tokens by the "request" index, then deletes in one write transaction each
// row that is still an old request token.
func (s *Store) CleanupRequestTokens(ctx context.Context, before time.Time) (tokens int64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var old []*oauth.Token
	err = s.read(ctx, func(t *tx) error {
		it, err := t.txn.Get(tableToken, "request")
		if err != nil {
			return fmt.Errorf("memstore: request tokens: %w", err)
		}
		for obj := it.Next(); obj != nil; obj = it.Next() {
			if tok := obj.(*oauth.Token); !tok.CreatedAt.IsZero() && !tok.CreatedAt.After(before) {
				old = append(old, tok)
			}
		}
		return nil
	})
	if err != nil || len(old) == 0 {
		return 0, err
	}
	err = s.write(ctx, func(t *tx) error {
		for _, tok := range old {
			// Delete the row only if it is still the request token read
			// above: it may have been exchanged meanwhile.
			obj, err := t.first(tableToken, "id", tok.ID)
			if err != nil {
				return err
			}
			if cur, ok := obj.(*oauth.Token); !ok || cur.Type != oauth.TokenRequest || cur.CreatedAt.IsZero() || cur.CreatedAt.After(before) {
				continue
			}
			if err := t.txn.Delete(tableToken, obj); err != nil {
				return fmt.Errorf("memstore: delete request token %d: %w", tok.ID, err)
			}
			tokens++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return tokens, nil
}
