package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

// ErrInjected is the error that the failing write of a [Faulty] store
// wraps. Test with errors.Is.
var ErrInjected = errors.New("storetest: injected fault")

var _ integration.Store = (*Faulty)(nil)

// Faulty wraps a Store and makes one chosen write fail, so a test can take
// an operation through the error path of each write it makes and check
// that the store holds afterwards exactly what it held before (compare a
// [Snapshot] from before with one from after).
//
// The writes are CreateIntegration, UpdateIntegration, DeleteIntegration,
// CreateConsumer, UpdateConsumer, DeleteConsumer, CreateToken, UpdateToken,
// DeleteToken and UseNonce, whether called on the Faulty itself or on the
// tx that its Atomic hands to fn (that tx is a *Faulty too, sharing the
// count). Reads and Atomic itself are not writes and pass through. The
// failing write returns an error wrapping [ErrInjected] without reaching
// the wrapped store; every other call is the wrapped store's.
//
// A typical test first runs the operation once to count its writes, then
// fails each in turn:
//
//	f := storetest.NewFaulty(s)
//	f.Reset()
//	run(f) // succeeds
//	n := f.Writes()
//	for i := 1; i <= n; i++ {
//		before := storetest.MustSnapshot(t, f)
//		f.FailAt(i)
//		if err := run(f); !errors.Is(err, storetest.ErrInjected) { ... }
//		if d := cmp.Diff(before, storetest.MustSnapshot(t, f)); d != "" { ... }
//	}
//
// A Faulty is safe for concurrent use as far as the wrapped store is; the
// count is shared by all goroutines.
type Faulty struct {
	s     Store
	count *faultCount
}

// faultCount is the write count and fault plan shared by a Faulty and the
// transactions it hands out.
type faultCount struct {
	mu     sync.Mutex
	writes int // writes since the last Reset or FailAt
	failAt int // the write that fails; 0 for none
}

// NewFaulty wraps s. It starts with a count of zero and no fault planned.
func NewFaulty(s Store) *Faulty {
	return &Faulty{s: s, count: new(faultCount)}
}

// FailAt restarts the count and plans the n-th write from now (1-based) to
// fail; every other write, later ones included, goes through. n <= 0
// plans no fault.
func (f *Faulty) FailAt(n int) {
	f.count.mu.Lock()
	defer f.count.mu.Unlock()
	f.count.writes, f.count.failAt = 0, max(n, 0)
}

// Reset restarts the count and cancels a planned fault.
func (f *Faulty) Reset() { f.FailAt(0) }

// Writes returns how many writes were made since the last Reset or FailAt,
// the failed one included.
func (f *Faulty) Writes() int {
	f.count.mu.Lock()
	defer f.count.mu.Unlock()
	return f.count.writes
}

// write counts a write named op and returns the injected error if it is
// the planned one.
func (f *Faulty) write(op string) error {
	f.count.mu.Lock()
	defer f.count.mu.Unlock()
	f.count.writes++
	if f.count.writes == f.count.failAt {
		return fmt.Errorf("storetest: %s (write %d): %w", op, f.count.writes, ErrInjected)
	}
	return nil
}

// Atomic implements [oauth.Store]: it runs fn with the wrapped store's tx,
// wrapped in a Faulty that shares f's count. fn's error is returned as the
// wrapped store returns it.
func (f *Faulty) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	return f.s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		itx, ok := tx.(integration.Store)
		if !ok {
			return fmt.Errorf("storetest: tx %T does not implement integration.Store", tx)
		}
		return fn(ctx, &Faulty{s: itx, count: f.count})
	})
}

// CreateIntegration implements [integration.Writer]; it is a write.
func (f *Faulty) CreateIntegration(ctx context.Context, in *integration.Integration) error {
	if err := f.write("CreateIntegration"); err != nil {
		return err
	}
	return f.s.CreateIntegration(ctx, in)
}

// UpdateIntegration implements [integration.Writer]; it is a write.
func (f *Faulty) UpdateIntegration(ctx context.Context, in integration.Integration) error {
	if err := f.write("UpdateIntegration"); err != nil {
		return err
	}
	return f.s.UpdateIntegration(ctx, in)
}

// DeleteIntegration implements [integration.Writer]; it is a write.
func (f *Faulty) DeleteIntegration(ctx context.Context, id int64) error {
	if err := f.write("DeleteIntegration"); err != nil {
		return err
	}
	return f.s.DeleteIntegration(ctx, id)
}

// Integration implements [integration.Reader].
func (f *Faulty) Integration(ctx context.Context, id int64) (integration.Integration, error) {
	return f.s.Integration(ctx, id)
}

// IntegrationByName implements [integration.Reader].
func (f *Faulty) IntegrationByName(ctx context.Context, name string) (integration.Integration, error) {
	return f.s.IntegrationByName(ctx, name)
}

// IntegrationByConsumer implements [integration.Reader].
func (f *Faulty) IntegrationByConsumer(ctx context.Context, consumerID int64) (integration.Integration, error) {
	return f.s.IntegrationByConsumer(ctx, consumerID)
}

// Integrations implements [integration.Reader].
func (f *Faulty) Integrations(ctx context.Context) ([]integration.Integration, error) {
	return f.s.Integrations(ctx)
}

// CreateConsumer implements [oauth.ConsumerStore]; it is a write.
func (f *Faulty) CreateConsumer(ctx context.Context, c *oauth.Consumer) error {
	if err := f.write("CreateConsumer"); err != nil {
		return err
	}
	return f.s.CreateConsumer(ctx, c)
}

// UpdateConsumer implements [oauth.ConsumerStore]; it is a write.
func (f *Faulty) UpdateConsumer(ctx context.Context, c oauth.Consumer) error {
	if err := f.write("UpdateConsumer"); err != nil {
		return err
	}
	return f.s.UpdateConsumer(ctx, c)
}

// DeleteConsumer implements [oauth.ConsumerStore]; it is a write.
func (f *Faulty) DeleteConsumer(ctx context.Context, id int64) error {
	if err := f.write("DeleteConsumer"); err != nil {
		return err
	}
	return f.s.DeleteConsumer(ctx, id)
}

// Consumer implements [oauth.ConsumerStore].
func (f *Faulty) Consumer(ctx context.Context, id int64) (oauth.Consumer, error) {
	return f.s.Consumer(ctx, id)
}

// ConsumerByKey implements [oauth.ConsumerStore].
func (f *Faulty) ConsumerByKey(ctx context.Context, key string) (oauth.Consumer, error) {
	return f.s.ConsumerByKey(ctx, key)
}

// CreateToken implements [oauth.TokenStore]; it is a write.
func (f *Faulty) CreateToken(ctx context.Context, t *oauth.Token) error {
	if err := f.write("CreateToken"); err != nil {
		return err
	}
	return f.s.CreateToken(ctx, t)
}

// UpdateToken implements [oauth.TokenStore]; it is a write.
func (f *Faulty) UpdateToken(ctx context.Context, t oauth.Token, from oauth.TokenType) error {
	if err := f.write("UpdateToken"); err != nil {
		return err
	}
	return f.s.UpdateToken(ctx, t, from)
}

// DeleteToken implements [oauth.TokenStore]; it is a write.
func (f *Faulty) DeleteToken(ctx context.Context, consumerID int64) error {
	if err := f.write("DeleteToken"); err != nil {
		return err
	}
	return f.s.DeleteToken(ctx, consumerID)
}

// TokenByConsumer implements [oauth.TokenStore].
func (f *Faulty) TokenByConsumer(ctx context.Context, consumerID int64) (oauth.Token, error) {
	return f.s.TokenByConsumer(ctx, consumerID)
}

// TokenByValue implements [oauth.TokenStore].
func (f *Faulty) TokenByValue(ctx context.Context, token string) (oauth.Token, error) {
	return f.s.TokenByValue(ctx, token)
}

// UseNonce implements [oauth.NonceStore]; it is a write.
func (f *Faulty) UseNonce(ctx context.Context, consumerID int64, nonce string, timestamp int64) error {
	if err := f.write("UseNonce"); err != nil {
		return err
	}
	return f.s.UseNonce(ctx, consumerID, nonce, timestamp)
}

// CleanupNonces implements [oauth.Cleaner]; it is a write. Over a store
// that is not a Cleaner it deletes nothing.
func (f *Faulty) CleanupNonces(ctx context.Context, before time.Time) (int64, error) {
	if err := f.write("CleanupNonces"); err != nil {
		return 0, err
	}
	if cl, ok := f.s.(oauth.Cleaner); ok {
		return cl.CleanupNonces(ctx, before)
	}
	return 0, ctx.Err()
}

// CleanupRequestTokens implements [oauth.Cleaner]; it is a write. Over a
// store that is not a Cleaner it deletes nothing.
func (f *Faulty) CleanupRequestTokens(ctx context.Context, before time.Time) (int64, error) {
	if err := f.write("CleanupRequestTokens"); err != nil {
		return 0, err
	}
	if cl, ok := f.s.(oauth.Cleaner); ok {
		return cl.CleanupRequestTokens(ctx, before)
	}
	return 0, ctx.Err()
}

// ConsumerToken implements [oauth.CredentialStore].
func (f *Faulty) ConsumerToken(ctx context.Context, key, token string) (oauth.Consumer, oauth.Token, bool, error) {
	return f.s.ConsumerToken(ctx, key, token)
}
