package storetest

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// racers is how many goroutines each Race subtest releases at once.
const racers = 32

// raceRounds is how many times each Race subtest runs its race, each time
// on fresh records, because one race does not always catch a backend that
// checks and then inserts in two steps. On two busy processors an
// in-memory check-then-insert nonce store survived a single round about
// one time in three; over the eight rounds it survived about one run of
// the subtest in five without -race and none of 60 runs under -race, which
// slows each call down. A backend that blocks on I/O between its check
// and its insert is caught far more reliably.
const raceRounds = 8

// rounds runs round raceRounds times and stops at the first failure.
func rounds(t *testing.T, round func(n int)) {
	t.Helper()
	for n := range raceRounds {
		round(n)
		if t.Failed() {
			return
		}
	}
}

// race runs fn(i) for every i in [0, racers) on its own goroutine and
// returns their errors by i. The goroutines wait at a barrier until every
// one of them runs; they spin there (yielding) rather than sleep on a
// channel, so that at the release every processor is busy with a racer and
// the calls overlap for real instead of being woken one after another.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	var ready, done sync.WaitGroup
	var start atomic.Bool
	for i := range racers {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			for !start.Load() {
				runtime.Gosched()
			}
			errs[i] = fn(i)
		}()
	}
	ready.Wait()
	start.Store(true)
	done.Wait()
	return errs
}

// oneWinner fails the test unless exactly one of errs is nil and, when
// loser is not nil, every other error matches it. It returns the winner's
// index, or -1 when there is not exactly one (the test has failed then).
func oneWinner(t *testing.T, what string, errs []error, loser error) int {
	t.Helper()
	winner, wins := -1, 0
	for i, err := range errs {
		switch {
		case err == nil:
			winner = i
			wins++
		case loser != nil && !errors.Is(err, loser):
			t.Errorf("%s: loser %d: error = %v, want %v", what, i, err, loser)
		}
	}
	if wins != 1 {
		t.Errorf("%s: %d of %d concurrent calls succeeded, want exactly 1", what, wins, racers)
		return -1
	}
	return winner
}

func testRaceCreateIntegration(t *testing.T, s Store) {
	ctx := t.Context()
	var names []string
	rounds(t, func(n int) {
		name := fmt.Sprintf("ERP %d", n)
		names = append(names, name)
		ins := make([]integration.Integration, racers)
		for i := range ins {
			ins[i] = integration.Integration{Name: name, Email: fmt.Sprintf("racer%d@example.com", i), CreatedAt: at(0), UpdatedAt: at(0)}
		}
		errs := race(func(i int) error { return s.CreateIntegration(ctx, &ins[i]) })
		if w := oneWinner(t, fmt.Sprintf("CreateIntegration(same name), round %d", n), errs, store.ErrExists); w >= 0 {
			checkIntegration(t, s, ins[w])
		}
	})
	list, err := s.Integrations(ctx)
	mustOK(t, "Integrations", err)
	if len(list) != len(names) {
		t.Errorf("Integrations after %d races = %d integrations, want %d", len(names), len(list), len(names))
	}
}

func testRaceCreateConsumer(t *testing.T, s Store) {
	ctx := t.Context()
	rounds(t, func(n int) {
		key := credential(t)
		cs := make([]oauth.Consumer, racers)
		for i := range cs {
			cs[i] = oauth.Consumer{Key: key, Secret: credential(t), CreatedAt: at(0), UpdatedAt: at(0)}
		}
		errs := race(func(i int) error { return s.CreateConsumer(ctx, &cs[i]) })
		if w := oneWinner(t, fmt.Sprintf("CreateConsumer(same key), round %d", n), errs, store.ErrExists); w >= 0 {
			checkConsumer(t, s, cs[w])
		}
	})
}

func testRaceCreateToken(t *testing.T, s Store) {
	ctx := t.Context()
	rounds(t, func(n int) {
		c := newConsumer(t, s)
		toks := make([]oauth.Token, racers)
		for i := range toks {
			toks[i] = tokenFor(t, c.ID, oauth.TokenVerifier)
		}
		errs := race(func(i int) error { return s.CreateToken(ctx, &toks[i]) })
		w := oneWinner(t, fmt.Sprintf("CreateToken(same consumer), round %d", n), errs, store.ErrExists)
		if w < 0 {
			return
		}
		checkToken(t, s, toks[w])
		for i, tok := range toks {
			if i == w {
				continue
			}
			if _, err := s.TokenByValue(ctx, tok.Token); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("TokenByValue(loser %d) = %v, want %v", i, err, store.ErrNotFound)
			}
		}
	})
}

func testRaceUseNonce(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	rounds(t, func(n int) {
		nonce := credential(t)
		errs := race(func(int) error { return s.UseNonce(ctx, c.ID, nonce, 1718000000) })
		oneWinner(t, fmt.Sprintf("UseNonce(same consumer and nonce), round %d", n), errs, store.ErrExists)
	})
}

// testRaceUpdateToken races the compare-and-set itself: of many exchanges
// of one request token, exactly one may succeed.
func testRaceUpdateToken(t *testing.T, s Store) {
	ctx := t.Context()
	rounds(t, func(n int) {
		c := newConsumer(t, s)
		req := newToken(t, s, c.ID, oauth.TokenRequest)
		ups := make([]oauth.Token, racers)
		for i := range ups {
			ups[i] = req
			ups[i].Type = oauth.TokenAccess
			ups[i].Token, ups[i].Secret = credential(t), credential(t)
		}
		errs := race(func(i int) error { return s.UpdateToken(ctx, ups[i], oauth.TokenRequest) })
		if w := oneWinner(t, fmt.Sprintf("UpdateToken(request → access), round %d", n), errs, store.ErrConflict); w >= 0 {
			checkToken(t, s, ups[w])
		}
	})
}

// testRaceIssueAccessToken races the provider's exchange over the store:
// read the row, then compare-and-set it.
func testRaceIssueAccessToken(t *testing.T, s Store) {
	ctx := t.Context()
	rounds(t, func(n int) {
		c := newConsumer(t, s)
		newToken(t, s, c.ID, oauth.TokenRequest)
		got := make([]oauth.Token, racers)
		errs := race(func(i int) error {
			var err error
			got[i], err = oauth.IssueAccessToken(ctx, s, c.ID, nil)
			return err
		})
		w := oneWinner(t, fmt.Sprintf("IssueAccessToken(one request token), round %d", n), errs, nil)
		if w < 0 {
			return
		}
		if got[w].Type != oauth.TokenAccess {
			t.Errorf("IssueAccessToken: winner's Type = %q, want %q", got[w].Type, oauth.TokenAccess)
		}
		checkToken(t, s, got[w])
	})
}
