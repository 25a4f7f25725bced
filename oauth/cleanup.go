package oauth

import (
	"context"
	"math/rand/v2"
	"time"
)

// maybeCleanup is Magento's probabilistic cleanup (SPEC §3.4), run after a
// nonce or a token was stored: with probability 1/N, N the live
// oauth/cleanup/cleanup_probability, the store forgets nonces and request
// tokens older than oauth/cleanup/expiration_period. Its failure is
// logged, never returned: the request it follows has succeeded, as in
// Magento, where the cleanup's own errors do not reach the client.
func (p *Provider) maybeCleanup(ctx context.Context, now time.Time) {
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
	nonces, tokens, err := p.cleaner.Cleanup(ctx, now.Add(-period))
	if err != nil {
		p.log.WarnContext(ctx, "oauth: cleanup of old nonces and request tokens failed", "error", err)
		return
	}
	if nonces > 0 || tokens > 0 {
		p.log.DebugContext(ctx, "oauth: cleanup", "nonces", nonces, "request_tokens", tokens)
	}
}
