package storetest

import (
	"testing"

	"github.com/magekit/magekit/integration"
)

// Store is the contract every backend implements: [integration.Store],
// which embeds [github.com/magekit/magekit/oauth.Store].
type Store = integration.Store

// subtest is one named check of the suite, run against a fresh store.
type subtest struct {
	name string
	fn   func(t *testing.T, s Store)
}

// suite lists the checks of [Run] in the order they run.
func suite() []subtest {
	return []subtest{
		// Integrations.
		{"IntegrationRoundTrip", testIntegrationRoundTrip},
		{"IntegrationResourcesEmpty", testIntegrationResourcesEmpty},
		{"IntegrationIDs", testIntegrationIDs},
		{"IntegrationNotFound", testIntegrationNotFound},
		{"IntegrationDuplicateName", testIntegrationDuplicateName},
		{"IntegrationConsumerTaken", testIntegrationConsumerTaken},
		{"IntegrationUnknownConsumer", testIntegrationUnknownConsumer},
		{"IntegrationsOrderedByID", testIntegrationsOrderedByID},
		{"DeleteIntegration", testDeleteIntegration},
		{"IntegrationCopies", testIntegrationCopies},
		// Consumers.
		{"ConsumerRoundTrip", testConsumerRoundTrip},
		{"ConsumerNotFound", testConsumerNotFound},
		{"ConsumerDuplicate", testConsumerDuplicate},
		{"DeleteConsumerCascades", testDeleteConsumerCascades},
		{"OrphanedConsumer", testOrphanedConsumer},
		{"ConsumerIDs", testConsumerIDs},
		// Tokens, nonces and the hot-path read.
		{"TokenRoundTrip", testTokenRoundTrip},
		{"TokenNotFound", testTokenNotFound},
		{"TokenDuplicate", testTokenDuplicate},
		{"UpdateTokenConflict", testUpdateTokenConflict},
		{"DeleteToken", testDeleteToken},
		{"OAuthCopies", testOAuthCopies},
		{"UseNonce", testUseNonce},
		{"Cleanup", testCleanup},
		{"ConsumerToken", testConsumerToken},
		{"ConsumerTokenOwner", testConsumerTokenOwner},
		{"ExactMatch", testExactMatch},
		{"EmptyKeys", testEmptyKeys},
		// Cancellation.
		{"CancelledContext", testCancelledContext},
		{"CancelledContextInTx", testCancelledContextInTx},
		{"AtomicCancelledDuringFn", testAtomicCancelledDuringFn},
		// Transactions.
		{"AtomicCommit", testAtomicCommit},
		{"AtomicRollback", testAtomicRollback},
		{"AtomicRollbackOnStoreError", testAtomicRollbackOnStoreError},
		{"AtomicTxIsIntegrationStore", testAtomicTxIsIntegrationStore},
		{"AtomicReadsOwnWrites", testAtomicReadsOwnWrites},
		// Races: racers goroutines released together; exactly one may win.
		{"RaceCreateIntegration", testRaceCreateIntegration},
		{"RaceCreateConsumer", testRaceCreateConsumer},
		{"RaceCreateToken", testRaceCreateToken},
		{"RaceUseNonce", testRaceUseNonce},
		{"RaceUpdateToken", testRaceUpdateToken},
		{"RaceIssueAccessToken", testRaceIssueAccessToken},
	}
}

// Run runs the conformance suite against the backend that newStore builds.
//
// Each named subtest calls newStore once and expects a fresh, empty store;
// newStore may register clean-ups with t.Cleanup and should fail t when it
// cannot build one. Subtests run one after another, never in parallel, so
// a backend may share one database server between them as long as every
// store starts empty. Inside a subtest the store is used concurrently (the
// Race subtests), as production code uses it.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	t.Helper()
	for _, st := range suite() {
		t.Run(st.name, func(t *testing.T) {
			s := newStore(t)
			if s == nil {
				t.Fatal("storetest: newStore returned a nil Store")
			}
			st.fn(t, s)
		})
	}
}
