package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/user"
)

const (
	consumerCols = "c.entity_id, c.name, c.`key`, c.secret, c.callback_url, c.rejected_callback_url, c.created_at, c.updated_at"
	tokenCols    = "t.entity_id, t.consumer_id, t.type, t.token, t.secret, t.verifier, t.callback_url, t.revoked, t.user_type, t.created_at"
)

// Column counts of consumerCols and tokenCols.
const (
	consumerNCols = 8
	tokenNCols    = 10
	// integrationNCols counts integrationCols and r.resource_id.
	integrationNCols = 12
)

// consumerDest appends the scan destinations of consumerCols to dst.
func consumerDest(dst []any, c *oauth.Consumer) []any {
	return append(dst, intScan[int64]{&c.ID}, stringScan{&c.Name}, stringScan{&c.Key}, stringScan{&c.Secret},
		stringScan{&c.CallbackURL}, stringScan{&c.RejectedCallbackURL}, timeScan{&c.CreatedAt}, timeScan{&c.UpdatedAt})
}

// tokenDest appends the scan destinations of tokenCols to dst. Every one
// takes NULL, for the LEFT JOIN of ConsumerToken.
func tokenDest(dst []any, t *oauth.Token) []any {
	return append(dst, intScan[int64]{&t.ID}, intScan[int64]{&t.ConsumerID}, stringScan{(*string)(&t.Type)},
		stringScan{&t.Token}, stringScan{&t.Secret}, stringScan{&t.Verifier}, stringScan{&t.CallbackURL},
		boolScan{&t.Revoked}, intScan[user.Type]{&t.UserType}, timeScan{&t.CreatedAt})
}

// storable reports whether id can be a row id (INT UNSIGNED in MySQL).
// Every other id names no row.
func storable(id int64) bool {
	return id > 0 && id <= math.MaxUint32
}

// fail maps a write's driver error: constraint violations become the store
// sentinels, wrapped with what, anything else is wrapped as is.
func (t *tx) fail(what string, err error) error {
	if sentinel := t.dialect.constraint(err); sentinel != nil {
		return fmt.Errorf("sqlstore: %s: %w", what, sentinel)
	}
	return fmt.Errorf("sqlstore: %s: %w", what, err)
}

// --- consumers ---

func (t *tx) CreateConsumer(ctx context.Context, c *oauth.Consumer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, "INSERT INTO oauth_consumer (created_at, updated_at, name, `key`, secret, callback_url, rejected_callback_url) VALUES (?, ?, ?, ?, ?, ?, ?)",
		dbTime(c.CreatedAt), dbTime(c.UpdatedAt), c.Name, c.Key, c.Secret, dbString(c.CallbackURL), c.RejectedCallbackURL)
	if err != nil {
		return t.fail("create consumer", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("sqlstore: create consumer: id: %w", err)
	}
	c.ID = id
	return nil
}

func (t *tx) consumer(ctx context.Context, where string, arg any) (oauth.Consumer, error) {
	var c oauth.Consumer
	err := t.q.QueryRowContext(ctx, "SELECT "+consumerCols+" FROM oauth_consumer c WHERE "+where+t.lock, arg).Scan(consumerDest(make([]any, 0, consumerNCols), &c)...)
	if errors.Is(err, sql.ErrNoRows) {
		return oauth.Consumer{}, fmt.Errorf("sqlstore: consumer: %w", store.ErrNotFound)
	}
	if err != nil {
		return oauth.Consumer{}, fmt.Errorf("sqlstore: consumer: %w", err)
	}
	return c, nil
}

func (t *tx) Consumer(ctx context.Context, id int64) (oauth.Consumer, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, err
	}
	return t.consumer(ctx, "c.entity_id = ?", id)
}

func (t *tx) ConsumerByKey(ctx context.Context, key string) (oauth.Consumer, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, err
	}
	return t.consumer(ctx, "c.`key` = ?", key)
}

func (t *tx) UpdateConsumer(ctx context.Context, c oauth.Consumer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, "UPDATE oauth_consumer SET created_at = ?, updated_at = ?, name = ?, `key` = ?, secret = ?, callback_url = ?, rejected_callback_url = ? WHERE entity_id = ?",
		dbTime(c.CreatedAt), dbTime(c.UpdatedAt), c.Name, c.Key, c.Secret, dbString(c.CallbackURL), c.RejectedCallbackURL, c.ID)
	if err != nil {
		return t.fail(fmt.Sprintf("update consumer %d", c.ID), err)
	}
	n, err := rowsAffected(res)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: update consumer %d: %w", c.ID, store.ErrNotFound)
	}
	return nil
}

// DeleteConsumer deletes the consumer row; the database's ON DELETE rules
// remove its token row and nonces and clear integration.consumer_id.
func (t *tx) DeleteConsumer(ctx context.Context, id int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, "DELETE FROM oauth_consumer WHERE entity_id = ?", id)
	if err != nil {
		return fmt.Errorf("sqlstore: delete consumer %d: %w", id, err)
	}
	n, err := rowsAffected(res)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: delete consumer %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// --- tokens ---

func (t *tx) CreateToken(ctx context.Context, tok *oauth.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !storable(tok.ConsumerID) {
		return fmt.Errorf("sqlstore: create token: consumer %d: %w", tok.ConsumerID, store.ErrNotFound)
	}
	res, err := t.q.ExecContext(ctx, "INSERT INTO oauth_token (consumer_id, type, token, secret, verifier, callback_url, revoked, user_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		tok.ConsumerID, string(tok.Type), tok.Token, tok.Secret, dbString(tok.Verifier), tok.CallbackURL, dbBool(tok.Revoked), int64(tok.UserType), dbTime(tok.CreatedAt))
	if err != nil {
		err = t.fail(fmt.Sprintf("create token of consumer %d", tok.ConsumerID), err)
		if errors.Is(err, store.ErrExists) {
			// A missing consumer is reported first, whichever key the
			// database checked first.
			if _, cerr := t.consumer(ctx, "c.entity_id = ?", tok.ConsumerID); errors.Is(cerr, store.ErrNotFound) {
				return fmt.Errorf("sqlstore: create token: consumer %d: %w", tok.ConsumerID, store.ErrNotFound)
			}
		}
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("sqlstore: create token: id: %w", err)
	}
	tok.ID = id
	return nil
}

func (t *tx) token(ctx context.Context, where string, arg any) (oauth.Token, error) {
	var tok oauth.Token
	err := t.q.QueryRowContext(ctx, "SELECT "+tokenCols+" FROM oauth_token t WHERE "+where+t.lock, arg).Scan(tokenDest(make([]any, 0, tokenNCols), &tok)...)
	if errors.Is(err, sql.ErrNoRows) {
		return oauth.Token{}, fmt.Errorf("sqlstore: token: %w", store.ErrNotFound)
	}
	if err != nil {
		return oauth.Token{}, fmt.Errorf("sqlstore: token: %w", err)
	}
	return tok, nil
}

func (t *tx) TokenByConsumer(ctx context.Context, consumerID int64) (oauth.Token, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Token{}, err
	}
	return t.token(ctx, "t.consumer_id = ?", consumerID)
}

func (t *tx) TokenByValue(ctx context.Context, token string) (oauth.Token, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Token{}, err
	}
	return t.token(ctx, "t.token = ?", token)
}

// UpdateToken is a compare-and-set in one statement: the row changes only
// if its type is still from. When no row matched, a second read tells a
// missing row from one in another state.
func (t *tx) UpdateToken(ctx context.Context, tok oauth.Token, from oauth.TokenType) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, "UPDATE oauth_token SET type = ?, token = ?, secret = ?, verifier = ?, callback_url = ?, revoked = ?, user_type = ? WHERE entity_id = ? AND type = ?",
		string(tok.Type), tok.Token, tok.Secret, dbString(tok.Verifier), tok.CallbackURL, dbBool(tok.Revoked), int64(tok.UserType), tok.ID, string(from))
	if err != nil {
		return t.fail(fmt.Sprintf("update token %d", tok.ID), err)
	}
	n, err := rowsAffected(res)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	var cur string
	err = t.q.QueryRowContext(ctx, "SELECT type FROM oauth_token WHERE entity_id = ?", tok.ID).Scan(&cur)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlstore: update token %d: %w", tok.ID, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("sqlstore: update token %d: %w", tok.ID, err)
	}
	return fmt.Errorf("sqlstore: token %d is %s, not %s: %w", tok.ID, cur, from, store.ErrConflict)
}

func (t *tx) DeleteToken(ctx context.Context, consumerID int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, "DELETE FROM oauth_token WHERE consumer_id = ?", consumerID)
	if err != nil {
		return fmt.Errorf("sqlstore: delete token of consumer %d: %w", consumerID, err)
	}
	n, err := rowsAffected(res)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: delete token of consumer %d: %w", consumerID, store.ErrNotFound)
	}
	return nil
}

// --- nonces and the hot-path read ---

// UseNonce is one INSERT: the primary key (nonce, consumer_id) admits each
// nonce once, across processes, and the foreign key reports a missing
// consumer.
func (t *tx) UseNonce(ctx context.Context, consumerID int64, nonce string, timestamp int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !storable(consumerID) {
		return fmt.Errorf("sqlstore: nonce: consumer %d: %w", consumerID, store.ErrNotFound)
	}
	_, err := t.q.ExecContext(ctx, useNonceQuery, nonce, timestamp, consumerID)
	if err != nil {
		return t.fail(fmt.Sprintf("nonce of consumer %d", consumerID), err)
	}
	return nil
}

// ConsumerToken is one SELECT: the consumer, with the token row whose value
// is token LEFT JOINed to it.
func (t *tx) ConsumerToken(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, err
	}
	if token == "" {
		c, err := t.consumer(ctx, "c.`key` = ?", key)
		return c, oauth.Token{}, false, err
	}
	var (
		c   oauth.Consumer
		tok oauth.Token
	)
	dest := tokenDest(consumerDest(make([]any, 0, consumerNCols+tokenNCols), &c), &tok)
	err := t.q.QueryRowContext(ctx, t.dialect.consumerTokenQuery()+t.lock, token, key).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return oauth.Consumer{}, oauth.Token{}, false, fmt.Errorf("sqlstore: consumer: %w", store.ErrNotFound)
	}
	if err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, fmt.Errorf("sqlstore: consumer and token: %w", err)
	}
	if tok.ID == 0 {
		return c, oauth.Token{}, false, nil
	}
	return c, tok, true, nil
}

// ConsumerTokenOwner implements [oauth.OwnerStore] in one statement:
// ConsumerToken's row joined with the consumer's integration and its allow
// rules, one row per rule. owner is an *[integration.Owner].
func (t *tx) ConsumerTokenOwner(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, any, error) {
	if err := ctx.Err(); err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, nil, err
	}
	// An empty token means no token, as in ConsumerToken: NULL joins no
	// row, where "" would join a token row whose value is "".
	var tokenArg any = token
	if token == "" {
		tokenArg = nil
	}
	rows, err := t.q.QueryContext(ctx, t.dialect.consumerTokenOwnerQuery()+t.lock, tokenArg, key)
	if err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, nil, fmt.Errorf("sqlstore: consumer, token and integration: %w", err)
	}
	defer rows.Close()
	var (
		c     oauth.Consumer
		tok   oauth.Token
		in    integration.Integration
		rule  ownerRule
		buf   [8]ownerRule
		rules = buf[:0]
		n     int
	)
	dest := integrationDest(tokenDest(consumerDest(make([]any, 0, consumerNCols+tokenNCols+integrationNCols+1), &c), &tok), &in, &rule.resource)
	dest = append(dest, intScan[int64]{&rule.id})
	for rows.Next() {
		// The consumer, token and integration columns repeat on every
		// row (Resources is not scanned); only the rule differs.
		if err := rows.Scan(dest...); err != nil {
			return oauth.Consumer{}, oauth.Token{}, false, nil, fmt.Errorf("sqlstore: consumer, token and integration: %w", err)
		}
		rules = append(rules, rule)
		n++
	}
	if err := rows.Err(); err != nil {
		return oauth.Consumer{}, oauth.Token{}, false, nil, fmt.Errorf("sqlstore: consumer, token and integration: %w", err)
	}
	if n == 0 {
		return oauth.Consumer{}, oauth.Token{}, false, nil, fmt.Errorf("sqlstore: consumer: %w", store.ErrNotFound)
	}
	// The rows come in the order of the index (role_id, rule_id) they are
	// read by, but no ORDER BY promises it.
	if !slices.IsSortedFunc(rules, ownerRule.compare) {
		slices.SortFunc(rules, ownerRule.compare)
	}
	for _, r := range rules {
		addResource(&in, r.resource)
	}
	owner := &integration.Owner{Integration: in, Found: in.ID != 0}
	if tok.ID == 0 {
		return c, oauth.Token{}, false, owner, nil
	}
	return c, tok, true, owner, nil
}

// ownerRule is one row's allow rule in ConsumerTokenOwner: its resource
// (noResource without one) and rule_id.
type ownerRule struct {
	resource string
	id       int64
}

func (r ownerRule) compare(o ownerRule) int { return cmp.Compare(r.id, o.id) }

// --- Store: reads and single statements on the pool ---

// CreateConsumer implements [oauth.ConsumerStore]: one INSERT.
func (s *Store) CreateConsumer(ctx context.Context, c *oauth.Consumer) error {
	return s.write(ctx, func(t *tx) error { return t.CreateConsumer(ctx, c) })
}

// Consumer implements [oauth.ConsumerStore].
func (s *Store) Consumer(ctx context.Context, id int64) (oauth.Consumer, error) {
	return s.plain.Consumer(ctx, id)
}

// ConsumerByKey implements [oauth.ConsumerStore]; the match is exact
// (case-sensitive) in both dialects.
func (s *Store) ConsumerByKey(ctx context.Context, key string) (oauth.Consumer, error) {
	return s.plain.ConsumerByKey(ctx, key)
}

// UpdateConsumer implements [oauth.ConsumerStore]: one UPDATE.
func (s *Store) UpdateConsumer(ctx context.Context, c oauth.Consumer) error {
	return s.write(ctx, func(t *tx) error { return t.UpdateConsumer(ctx, c) })
}

// DeleteConsumer implements [oauth.ConsumerStore]: one DELETE, whose
// foreign keys remove the token row and the nonces and set the
// integration's consumer_id to NULL (the integration itself stays).
func (s *Store) DeleteConsumer(ctx context.Context, id int64) error {
	return s.write(ctx, func(t *tx) error { return t.DeleteConsumer(ctx, id) })
}

// CreateToken implements [oauth.TokenStore]: one INSERT.
func (s *Store) CreateToken(ctx context.Context, tok *oauth.Token) error {
	return s.write(ctx, func(t *tx) error { return t.CreateToken(ctx, tok) })
}

// TokenByConsumer implements [oauth.TokenStore].
func (s *Store) TokenByConsumer(ctx context.Context, consumerID int64) (oauth.Token, error) {
	return s.plain.TokenByConsumer(ctx, consumerID)
}

// TokenByValue implements [oauth.TokenStore].
func (s *Store) TokenByValue(ctx context.Context, token string) (oauth.Token, error) {
	return s.plain.TokenByValue(ctx, token)
}

// UpdateToken implements [oauth.TokenStore]: one UPDATE ... WHERE
// entity_id = ? AND type = ?, so of concurrent exchanges, in any number of
// processes, exactly one matches the row.
func (s *Store) UpdateToken(ctx context.Context, tok oauth.Token, from oauth.TokenType) error {
	return s.write(ctx, func(t *tx) error { return t.UpdateToken(ctx, tok, from) })
}

// DeleteToken implements [oauth.TokenStore]: one DELETE.
func (s *Store) DeleteToken(ctx context.Context, consumerID int64) error {
	return s.write(ctx, func(t *tx) error { return t.DeleteToken(ctx, consumerID) })
}

// UseNonce implements [oauth.NonceStore]: one INSERT, decided by the
// primary key (nonce, consumer_id).
func (s *Store) UseNonce(ctx context.Context, consumerID int64, nonce string, timestamp int64) error {
	return s.write(ctx, func(t *tx) error { return t.UseNonce(ctx, consumerID, nonce, timestamp) })
}

// ConsumerToken implements [oauth.CredentialStore]: one SELECT.
func (s *Store) ConsumerToken(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, error) {
	return s.plain.ConsumerToken(ctx, key, token)
}

// ConsumerTokenOwner implements [oauth.OwnerStore]: one SELECT.
func (s *Store) ConsumerTokenOwner(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, any, error) {
	return s.plain.ConsumerTokenOwner(ctx, key, token)
}

// CleanupNonces implements [oauth.Cleaner]: one DELETE by the timestamp
// index, as Magento's nonce cleanup (docs/magento-behaviour.md §3.4).
func (s *Store) CleanupNonces(ctx context.Context, before time.Time) (n int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		res, err := t.q.ExecContext(ctx, "DELETE FROM oauth_nonce WHERE `timestamp` <= ?", before.Unix())
		if err != nil {
			return fmt.Errorf("sqlstore: cleanup nonces: %w", err)
		}
		n, err = rowsAffected(res)
		return err
	})
	return n, err
}

// CleanupRequestTokens implements [oauth.Cleaner]: one DELETE by type and
// creation time, as Magento's token cleanup (docs/magento-behaviour.md §3.4).
func (s *Store) CleanupRequestTokens(ctx context.Context, before time.Time) (n int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		res, err := t.q.ExecContext(ctx, "DELETE FROM oauth_token WHERE type = ? AND created_at <= ?", string(oauth.TokenRequest), dbTime(before))
		if err != nil {
			return fmt.Errorf("sqlstore: cleanup request tokens: %w", err)
		}
		n, err = rowsAffected(res)
		return err
	})
	return n, err
}
