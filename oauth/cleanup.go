package oauth

import (
	"context"
	"math/rand/v2"
	"time"
)

// cleanup says which of Magento's two cleanups to roll for (docs/magento-behaviour.md §3.4).
type cleanup int

const (
	cleanupNonces        cleanup = iota // after a nonce is saved
	cleanupRequestTokens                // after a token is saved
)

// maybeCleanup is Magento's probabilistic cleanup (docs/magento-behaviour.md §3.4), rolled after
// a nonce or a token was stored: with probability 1/N, N the live
// oauth/cleanup/cleanup_probability, the store forgets the nonces, or the
// request tokens, older than oauth/cleanup/expiration_period. Its failure
// is logged, never returned: the request it follows has succeeded.
func (p *Provider) maybeCleanup(ctx context.Context, now time.Time, what cleanup) {
	if p.cleaner == nil {
		return
	}
	n := DefaultCleanupProbability
	if p.cleanupProbability != nil {
		n = p.cleanupProbability()
	}
	if n <= 0 || rand.IntN(n) != 0 {
		return
	}
	period := DefaultCleanupExpiration
	if p.cleanupExpiration != nil {
		if d := p.cleanupExpiration(); d > 0 {
			period = d
		}
	}
	before := now.Add(-period)
	var (
		deleted int64
		err     error
		kind    string
	)
	if what == cleanupNonces {
		kind = "nonces"
		deleted, err = p.cleaner.CleanupNonces(ctx, before)
	} else {
		kind = "request tokens"
		deleted, err = p.cleaner.CleanupRequestTokens(ctx, before)
	}
	if err != nil {
		p.log.WarnContext(ctx, "oauth: cleanup of old "+kind+" failed", "error", err)
		return
	}
	if deleted > 0 {
		p.log.DebugContext(ctx, "oauth: cleanup of old "+kind, "deleted", deleted)
	}
}
