package memstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-memdb"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// TestMapsFollowCommits checks that the indexes serving
// Store.ConsumerToken move with committed transactions only: an aborted
// transaction leaves no trace, an update replaces the old key and token
// value, a delete removes both.
func TestMapsFollowCommits(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	epoch := time.Unix(1_700_000_000, 0).UTC()
	c := oauth.Consumer{Name: "Integration1", Key: "k0000000000000000000000000000001", Secret: "s0000000000000000000000000000001", CreatedAt: epoch, UpdatedAt: epoch}

	abort := errors.New("abort")
	err = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		if err := tx.CreateConsumer(ctx, &c); err != nil {
			return err
		}
		return abort
	})
	if !errors.Is(err, abort) {
		t.Fatalf("Atomic = %v, want abort", err)
	}
	if _, _, _, err := s.ConsumerToken(ctx, c.Key, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ConsumerToken after aborted create = %v, want ErrNotFound", err)
	}

	if err := s.CreateConsumer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	tok := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenRequest, Token: "t0000000000000000000000000000001", Secret: "x", Verifier: "v", CreatedAt: epoch}
	if err := s.CreateToken(ctx, &tok); err != nil {
		t.Fatal(err)
	}
	access := tok
	access.Type, access.Token = oauth.TokenAccess, "t0000000000000000000000000000002"
	if err := s.UpdateToken(ctx, access, oauth.TokenRequest); err != nil {
		t.Fatal(err)
	}
	if _, _, found, err := s.ConsumerToken(ctx, c.Key, tok.Token); err != nil || found {
		t.Errorf("ConsumerToken(old token value) = found %v, %v; want not found", found, err)
	}
	if _, got, found, err := s.ConsumerToken(ctx, c.Key, access.Token); err != nil || !found || got.Type != oauth.TokenAccess {
		t.Errorf("ConsumerToken(new token value) = %+v, found %v, %v; want the access token", got, found, err)
	}

	renamed := c
	renamed.Key = "k0000000000000000000000000000002"
	if err := s.UpdateConsumer(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.ConsumerToken(ctx, c.Key, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ConsumerToken(old key) = %v, want ErrNotFound", err)
	}
	if err := s.DeleteConsumer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.ConsumerToken(ctx, renamed.Key, access.Token); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ConsumerToken(deleted consumer) = %v, want ErrNotFound", err)
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	if n, m := len(s.idx.committed.consumerByKey), len(s.idx.committed.tokenByValue); n != 0 || m != 0 {
		t.Errorf("indexes hold %d consumers and %d tokens after deleting everything, want none", n, m)
	}
}

// TestMapsCommitOrder races writers that rotate one consumer's token
// value against readers: at the end the indexes must agree with go-memdb,
// which it would not if two commits applied their changes out of order.
func TestMapsCommitOrder(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	epoch := time.Unix(1_700_000_000, 0).UTC()
	c := oauth.Consumer{Name: "Integration1", Key: "k0000000000000000000000000000001", Secret: "s0000000000000000000000000000001", CreatedAt: epoch, UpdatedAt: epoch}
	if err := s.CreateConsumer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	tok := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenAccess, Token: "t-0", Secret: "x", Verifier: "v", CreatedAt: epoch}
	if err := s.CreateToken(ctx, &tok); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				next := tok
				next.Token = "t-" + strconv.Itoa(w) + "-" + strconv.Itoa(i)
				if err := s.UpdateToken(ctx, next, oauth.TokenAccess); err != nil {
					t.Error(err)
					return
				}
				if _, _, _, err := s.ConsumerToken(ctx, c.Key, next.Token); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	want, err := s.TokenByConsumer(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, got, found, err := s.ConsumerToken(ctx, c.Key, want.Token); err != nil || !found || got != want {
		t.Errorf("ConsumerToken(stored value %q) = %+v, found %v, %v; want %+v", want.Token, got, found, err, want)
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	if n := len(s.idx.committed.tokenByValue); n != 1 {
		t.Errorf("index holds %d token values, want 1 (stale values left behind)", n)
	}
}

// TestMapsIntegrations checks IntegrationByConsumer, served from the
// consumer index: it follows updates and deletes, and a copy handed out
// cannot change the indexed record.
func TestMapsIntegrations(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for range 8 { // consumers 1 to 8
		c := oauth.Consumer{Key: credentialFor(t), Secret: credentialFor(t)}
		mustDo(t, "CreateConsumer", s.CreateConsumer(ctx, &c))
	}
	in := integration.Integration{Name: "a", ConsumerID: 7, Resources: []string{"Magento_Catalog::products"}}
	if err := s.CreateIntegration(ctx, &in); err != nil {
		t.Fatal(err)
	}
	got, err := s.IntegrationByConsumer(ctx, 7)
	if err != nil || got.ID != in.ID {
		t.Fatalf("IntegrationByConsumer(7) = %+v, %v; want integration %d", got, err, in.ID)
	}
	got.Resources[0] = "changed"
	in.Status, in.ConsumerID = integration.StatusActive, 8
	if err := s.UpdateIntegration(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IntegrationByConsumer(ctx, 7); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("IntegrationByConsumer(old consumer) = %v, want ErrNotFound", err)
	}
	got, err = s.IntegrationByConsumer(ctx, 8)
	if err != nil || got.Status != integration.StatusActive || got.Resources[0] != "Magento_Catalog::products" {
		t.Errorf("IntegrationByConsumer(8) = %+v, %v; want the updated, unaltered record", got, err)
	}
	if err := s.DeleteIntegration(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IntegrationByConsumer(ctx, 8); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("IntegrationByConsumer(deleted) = %v, want ErrNotFound", err)
	}
}

// TestNonceHeapOrder checks the nonce heap the cleanup pops: whatever the
// insertion order, entries come out by timestamp, across pages too, and
// keep leaves exactly the entries it is asked to keep, in heap order.
func TestNonceHeapOrder(t *testing.T) {
	for _, n := range []int{13, noncePage, 3*noncePage + 7} {
		var h nonceHeap
		rnd := rand.New(rand.NewPCG(1, uint64(n)))
		for i := range n {
			h.push(nonceEntry{timestamp: rnd.Int64N(50), consumer: int64(i)})
		}
		h.keep(func(e *nonceEntry) bool { return e.consumer%3 != 0 })
		want := n - (n+2)/3
		if h.len() != want {
			t.Fatalf("n=%d: %d entries after keep, want %d", n, h.len(), want)
		}
		if pages := len(h.pages); pages > (want+noncePage-1)/noncePage+1 {
			t.Errorf("n=%d: %d pages kept for %d entries", n, pages, want)
		}
		prev := int64(-1)
		for h.len() > 0 {
			e := h.pop()
			if e.timestamp < prev {
				t.Fatalf("n=%d: pop = %d after %d: not in timestamp order", n, e.timestamp, prev)
			}
			if e.consumer%3 == 0 {
				t.Fatalf("n=%d: pop returned entry %d, which keep removed", n, e.consumer)
			}
			prev = e.timestamp
		}
		if len(h.pages) > 1 {
			t.Errorf("n=%d: %d pages left in an empty heap, want at most 1", n, len(h.pages))
		}
	}
}

// TestNonceCacheForgetsDroppedConsumers checks that deleting consumers
// gives back the memory of their nonces, heap entries included, long
// before the cleanup would have reached their timestamps.
func TestNonceCacheForgetsDroppedConsumers(t *testing.T) {
	c := newNonceCache(0)
	const consumers, perConsumer = 200, 100
	for id := int64(1); id <= consumers; id++ {
		c.open(id)
		for n := range perConsumer {
			if _, fresh := c.reserve(id, nonceValueOf("n"+strconv.Itoa(n)), 1_900_000_000, false); !fresh {
				t.Fatalf("reserve(%d, n%d) not fresh", id, n)
			}
		}
	}
	for id := int64(1); id <= consumers; id++ {
		c.drop(id)
	}
	entries := 0
	for i := range c.shards {
		sh := &c.shards[i]
		if sh.live != 0 {
			t.Errorf("shard %d: live = %d after dropping every consumer, want 0", i, sh.live)
		}
		entries += sh.byTime.len()
	}
	if limit := nonceShards * compactSlack; entries > limit {
		t.Errorf("%d heap entries left after dropping every consumer, want at most %d", entries, limit)
	}
	// The cleanup still works over compacted heaps.
	c.open(1)
	c.reserve(1, nonceValueOf("old"), 10, false)
	c.reserve(1, nonceValueOf("new"), 30, false)
	if n := c.cleanup(20); n != 1 {
		t.Errorf("cleanup(20) = %d, want 1", n)
	}
}

// TestKeyMovesWithinTransaction gives a consumer key to another
// consumer inside one transaction (A: K→K2, B created with K, A updated
// again): the index must not delete B's entry when it frees A's old key.
func TestKeyMovesWithinTransaction(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const k, k2 = "k0000000000000000000000000000001", "k0000000000000000000000000000002"
	a := oauth.Consumer{Name: "A", Key: k, Secret: "s0000000000000000000000000000001"}
	if err := s.CreateConsumer(ctx, &a); err != nil {
		t.Fatal(err)
	}
	var b oauth.Consumer
	err = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		moved := a
		moved.Key = k2
		if err := tx.UpdateConsumer(ctx, moved); err != nil {
			return err
		}
		b = oauth.Consumer{Name: "B", Key: k, Secret: "s0000000000000000000000000000002"}
		if err := tx.CreateConsumer(ctx, &b); err != nil {
			return err
		}
		moved.Name = "A again"
		return tx.UpdateConsumer(ctx, moved)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _, err := s.ConsumerToken(ctx, k, ""); err != nil || got.ID != b.ID {
		t.Errorf("ConsumerToken(K) = consumer %d, %v; want B (%d)", got.ID, err, b.ID)
	}
	if got, _, _, err := s.ConsumerToken(ctx, k2, ""); err != nil || got.ID != a.ID {
		t.Errorf("ConsumerToken(K2) = consumer %d, %v; want A (%d)", got.ID, err, a.ID)
	}
}

// TestNewConsumerTakesNoncesAtOnce races readers against consumer
// creation: a consumer that ConsumerToken finds must accept a nonce at
// once (the nonce cache learns of it before the consumer index shows
// it).
func TestNewConsumerTakesNoncesAtOnce(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const n = 20000
	keys := make(chan string, n)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range keys {
				var c oauth.Consumer
				for {
					var err error
					if c, _, _, err = s.ConsumerToken(ctx, key, ""); err == nil {
						break
					}
				}
				if err := s.UseNonce(ctx, c.ID, "first", 1); err != nil {
					t.Errorf("UseNonce right after the consumer appeared: %v", err)
					return
				}
			}
		}()
	}
	for i := range n {
		c := oauth.Consumer{Name: "c", Key: fmt.Sprintf("k%031d", i), Secret: fmt.Sprintf("s%031d", i)}
		keys <- c.Key // readers start spinning before the consumer exists
		if err := s.CreateConsumer(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	close(keys)
	wg.Wait()
}

// TestNonceValue checks how the cache keeps a nonce: in full up to 32
// bytes, as a digest beyond (32 non-ASCII characters), two different
// nonces never the same value, and nothing kept that points into the
// request the nonce was cut from.
func TestNonceValue(t *testing.T) {
	nonces := []string{"", "0", "a", "ab", "a\x00", strings.Repeat("x", 32), strings.Repeat("x", 31) + "y",
		strings.Repeat("é", 16), strings.Repeat("é", 32), strings.Repeat("é", 31) + "è", strings.Repeat("x", 33)}
	seen := make(map[nonceValue]string)
	for _, n := range nonces {
		v := nonceValueOf(n)
		if prev, ok := seen[v]; ok {
			t.Errorf("nonces %q and %q are kept as the same value", prev, n)
		}
		seen[v] = n
		if v != nonceValueOf(strings.Clone(n)) {
			t.Errorf("nonce %q is kept as two values", n)
		}
		if full := len(n) <= 32; full != (v.n != hashedNonce) {
			t.Errorf("nonce %q (%d bytes): kept in full = %v, want %v", n, len(n), !full, full)
		}
	}
	c := newNonceCache(0)
	c.open(1)
	if _, fresh := c.reserve(1, nonceValueOf(strings.Repeat("é", 32)), 1, false); !fresh {
		t.Fatal("first use of a hashed nonce is not fresh")
	}
	if _, fresh := c.reserve(1, nonceValueOf(strings.Repeat("é", 32)), 1, false); fresh {
		t.Error("second use of a hashed nonce is fresh")
	}
}

// TestMapsMatchRows runs random transactions of creates, updates and
// deletes over small key spaces (so keys collide, move between rows and
// come back), a third of them aborted, and checks after every operation
// that the indexes a transaction sees are exactly those its rows in
// go-memdb define, and after every transaction that the committed indexes
// are those of the committed rows.
func TestMapsMatchRows(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(7, 11))
	pick := func(prefix string, n int) string {
		if rnd.IntN(8) == 0 {
			return "" // the empty key, a key like any other
		}
		return prefix + strconv.Itoa(rnd.IntN(n))
	}
	// id picks an id up to one past the last one handed out, or 0; half
	// the time one of the last four, more often a live row.
	id := func(seq *atomic.Int64) int64 {
		if rnd.IntN(2) == 0 {
			return max(0, seq.Load()-rnd.Int64N(4))
		}
		return rnd.Int64N(seq.Load() + 2)
	}
	consumers, integrations, tokens := &s.seq.consumer, &s.seq.integration, &s.seq.token
	// consumerOrNone picks the consumer of an integration: none a third of
	// the time (any number of integrations may have none), else an id.
	consumerOrNone := func() int64 {
		if rnd.IntN(3) == 0 {
			return 0
		}
		return id(consumers)
	}
	ops := [9]int{}
	abort := errors.New("abort")
	for round := range 4000 {
		err := s.Atomic(ctx, func(ctx context.Context, st oauth.Store) error {
			x := st.(*tx)
			for range 1 + rnd.IntN(6) {
				var err error
				op := rnd.IntN(9)
				switch op {
				case 0:
					in := integration.Integration{Name: pick("n", 6), ConsumerID: consumerOrNone()}
					err = x.CreateIntegration(ctx, &in)
				case 1:
					in := integration.Integration{ID: id(integrations), Name: pick("n", 6), ConsumerID: consumerOrNone()}
					err = x.UpdateIntegration(ctx, in)
				case 2:
					err = x.DeleteIntegration(ctx, id(integrations))
				case 3:
					c := oauth.Consumer{Key: pick("k", 12), Secret: pick("s", 12)}
					err = x.CreateConsumer(ctx, &c)
				case 4:
					err = x.UpdateConsumer(ctx, oauth.Consumer{ID: id(consumers), Key: pick("k", 12), Secret: pick("s", 12)})
				case 5:
					err = x.DeleteConsumer(ctx, id(consumers))
				case 6:
					tok := oauth.Token{ConsumerID: id(consumers), Type: oauth.TokenRequest, Token: pick("t", 6)}
					err = x.CreateToken(ctx, &tok)
				case 7:
					err = x.UpdateToken(ctx, oauth.Token{ID: id(tokens), Type: oauth.TokenAccess, Token: pick("t", 6)}, oauth.TokenRequest)
				case 8:
					err = x.DeleteToken(ctx, id(consumers))
				}
				if err != nil && !errors.Is(err, store.ErrExists) && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
					return err
				}
				if err == nil {
					ops[op]++
				}
				checkIndexes(t, fmt.Sprintf("round %d, inside", round), x.txn, x)
			}
			if rnd.IntN(3) == 0 {
				return abort
			}
			return nil
		})
		if err != nil && !errors.Is(err, abort) {
			t.Fatalf("round %d: %v", round, err)
		}
		checkIndexes(t, fmt.Sprintf("round %d, committed", round), s.db.Txn(false), &tx{idx: s.idx})
		if t.Failed() {
			return
		}
	}
	// Each kind of change must have happened often enough to mean
	// something.
	for op, n := range ops {
		if n < 25 {
			t.Errorf("operation %d succeeded %d times, want at least 25 (counts %v)", op, n, ops)
		}
	}
}

// checkIndexes compares the indexes x sees with those its rows define:
// the integrations of txn, the consumers and tokens of x's own view.
func checkIndexes(t *testing.T, where string, txn *memdb.Txn, x *tx) {
	t.Helper()
	var ins []*integration.Integration
	it, err := txn.Get(tableIntegration, "id")
	if err != nil {
		t.Fatal(err)
	}
	for obj := it.Next(); obj != nil; obj = it.Next() {
		ins = append(ins, obj.(*integration.Integration))
	}
	x.idx.mu.RLock()
	defer x.idx.mu.RUnlock()
	c, p := &x.idx.committed, &x.pending
	var cons []*oauth.Consumer
	for _, id := range keys(c.consumerByID, p.consumerByID) {
		cons = append(cons, find(c.consumerByID, p.consumerByID, id))
	}
	var toks []*oauth.Token
	for _, id := range keys(c.tokenByID, p.tokenByID) {
		toks = append(toks, find(c.tokenByID, p.tokenByID, id))
	}
	// The keys each row should have, written apart from index.go's.
	checkIndex(t, where, "integration name", ins, func(in *integration.Integration) (string, bool) { return in.Name, true },
		c.integrationByName, p.integrationByName)
	checkIndex(t, where, "integration consumer", ins, func(in *integration.Integration) (int64, bool) { return in.ConsumerID, in.ConsumerID > 0 },
		c.integrationByConsumer, p.integrationByConsumer)
	checkIndex(t, where, "consumer id", cons, func(c *oauth.Consumer) (int64, bool) { return c.ID, true }, c.consumerByID, p.consumerByID)
	checkIndex(t, where, "consumer key", cons, func(c *oauth.Consumer) (string, bool) { return c.Key, true }, c.consumerByKey, p.consumerByKey)
	checkIndex(t, where, "consumer secret", cons, func(c *oauth.Consumer) (string, bool) { return c.Secret, true },
		c.consumerBySecret, p.consumerBySecret)
	checkIndex(t, where, "token id", toks, func(tok *oauth.Token) (int64, bool) { return tok.ID, true }, c.tokenByID, p.tokenByID)
	checkIndex(t, where, "token value", toks, func(tok *oauth.Token) (string, bool) { return tok.Token, true }, c.tokenByValue, p.tokenByValue)
	checkIndex(t, where, "token consumer", toks, func(tok *oauth.Token) (int64, bool) { return tok.ConsumerID, tok.ConsumerID > 0 },
		c.tokenByConsumer, p.tokenByConsumer)
	checkIndex(t, where, "request tokens", toks, func(tok *oauth.Token) (int64, bool) { return tok.ID, tok.Type == oauth.TokenRequest },
		c.requestTokens, p.requestTokens)
}

// checkIndex rebuilds one index from rows and compares it with the view of
// committed and pending: no key held by two rows, every key found as its
// row, nothing else seen.
func checkIndex[K comparable, R any](t *testing.T, where, name string, rows []*R, key func(*R) (K, bool), committed, pending map[K]*R) {
	t.Helper()
	want := make(map[K]*R)
	for _, r := range rows {
		k, ok := key(r)
		if !ok {
			continue
		}
		if prev, dup := want[k]; dup {
			t.Errorf("%s: %s %v held by two rows: %+v and %+v", where, name, k, *prev, *r)
		}
		want[k] = r
	}
	for k, r := range want {
		if got := find(committed, pending, k); got != r {
			t.Errorf("%s: %s %v: index has %p, rows have %+v", where, name, k, got, *r)
		}
	}
	if got := len(keys(committed, pending)); got != len(want) {
		t.Errorf("%s: %s: index sees %d keys, rows define %d", where, name, got, len(want))
	}
}

// TestNonceCacheKeepsNoEmptyMaps checks that a consumer without nonces
// costs no map, whether it never had one or the cleanup or an abort took
// its last, and that it still exists and takes nonces afterwards.
func TestNonceCacheKeepsNoEmptyMaps(t *testing.T) {
	c := newNonceCache(0)
	c.open(1)
	c.open(2)
	empty := func(id int64) bool {
		sh := c.shard(id)
		sh.mu.Lock()
		defer sh.mu.Unlock()
		used, ok := sh.m[id]
		if !ok {
			t.Fatalf("consumer %d is gone", id)
		}
		return used == nil
	}
	if !empty(1) {
		t.Error("a consumer that never took a nonce has a map")
	}
	if exists, fresh := c.reserve(1, nonceValueOf("a"), 10, false); !exists || !fresh {
		t.Fatalf("reserve(1, a) = %v, %v; want an existing consumer and a fresh nonce", exists, fresh)
	}
	if exists, fresh := c.reserve(2, nonceValueOf("b"), 10, false); !exists || !fresh {
		t.Fatalf("reserve(2, b) = %v, %v", exists, fresh)
	}
	if empty(1) {
		t.Error("a consumer with a nonce has no map")
	}
	if n := c.cleanup(10); n != 2 {
		t.Fatalf("cleanup(10) = %d, want 2", n)
	}
	if !empty(1) || !empty(2) {
		t.Error("the cleanup left an emptied map")
	}
	c.reserve(1, nonceValueOf("c"), 20, false)
	c.release(1, nonceValueOf("c"))
	if !empty(1) {
		t.Error("a release left an emptied map")
	}
	if exists, fresh := c.reserve(1, nonceValueOf("a"), 30, false); !exists || !fresh {
		t.Errorf("reserve(1, a) after the cleanup = %v, %v; want an existing consumer and a fresh nonce", exists, fresh)
	}
	if exists, _ := c.reserve(3, nonceValueOf("a"), 30, false); exists {
		t.Error("a consumer never opened exists")
	}
}

// TestDeletedConsumerStaysUnknownAfterCleanup checks that the nonce
// cleanup, which drops a consumer's expired nonces, does not bring back a
// consumer deleted since: its nonces are refused with store.ErrNotFound.
func TestDeletedConsumerStaysUnknownAfterCleanup(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	c := oauth.Consumer{Key: "k1", Secret: "s1"}
	mustDo(t, "CreateConsumer", s.CreateConsumer(ctx, &c))
	mustDo(t, "UseNonce", s.UseNonce(ctx, c.ID, "n", 100))
	mustDo(t, "DeleteConsumer", s.DeleteConsumer(ctx, c.ID))
	if _, err := s.CleanupNonces(ctx, time.Unix(200, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, c.ID, "m", 300); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UseNonce(deleted consumer) after the cleanup = %v, want ErrNotFound", err)
	}
}

// TestAbortedConsumerTakesNoNonces checks that a consumer created, and
// given a nonce, in a transaction that aborts leaves nothing in the replay
// cache: its id stays unknown.
func TestAbortedConsumerTakesNoNonces(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var c oauth.Consumer
	abort := errors.New("abort")
	err = s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
		c = oauth.Consumer{Key: "k1", Secret: "s1"}
		if err := tx.CreateConsumer(ctx, &c); err != nil {
			return err
		}
		if err := tx.UseNonce(ctx, c.ID, "n", 1); err != nil {
			return err
		}
		return abort
	})
	if !errors.Is(err, abort) {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, c.ID, "m", 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UseNonce(consumer of an aborted transaction) = %v, want ErrNotFound", err)
	}
}

// TestMapReadsRaceWriters runs every read the maps serve, and the
// request-token cleanup, beside writers; -race reports an unguarded map
// access.
func TestMapReadsRaceWriters(t *testing.T) {
	ctx := t.Context()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				s.ConsumerIDs(ctx)
				s.ConsumerByKey(ctx, "k1")
				s.Consumer(ctx, 1)
				s.ConsumerToken(ctx, "k1", "t1")
				s.TokenByValue(ctx, "t1")
				s.TokenByConsumer(ctx, 1)
				s.IntegrationByName(ctx, "n1")
				s.IntegrationByConsumer(ctx, 1)
				s.CleanupRequestTokens(ctx, time.Unix(1000, 0))
			}
		}()
	}
	for i := range 300 {
		c := oauth.Consumer{Key: fmt.Sprintf("k%d", i), Secret: fmt.Sprintf("s%d", i)}
		mustDo(t, "CreateConsumer", s.CreateConsumer(ctx, &c))
		tok := oauth.Token{ConsumerID: c.ID, Type: oauth.TokenRequest, Token: fmt.Sprintf("t%d", i), CreatedAt: time.Unix(100, 0)}
		mustDo(t, "CreateToken", s.CreateToken(ctx, &tok))
		in := integration.Integration{Name: fmt.Sprintf("n%d", i), ConsumerID: c.ID}
		mustDo(t, "CreateIntegration", s.CreateIntegration(ctx, &in))
		if i%3 == 0 {
			mustDo(t, "DeleteConsumer", s.DeleteConsumer(ctx, c.ID))
		}
	}
	close(stop)
	wg.Wait()
}

// TestConsumerIDsEmpty checks that a store without consumers lists none
// as nil, as a listing of nothing is everywhere else in the store.
func TestConsumerIDsEmpty(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.ConsumerIDs(t.Context())
	if err != nil || ids != nil {
		t.Errorf("ConsumerIDs() on an empty store = %#v, %v; want nil, nil", ids, err)
	}
}

// TestCapacityClamped checks that an absurd hint is clamped to
// MaxCapacity instead of allocating what it asks for, and that a negative
// one is no hint.
func TestCapacityClamped(t *testing.T) {
	for _, tc := range []struct{ hint, want int }{
		{-1, 0}, {0, 0}, {10, 10}, {MaxCapacity, MaxCapacity}, {MaxCapacity + 1, MaxCapacity},
		{1 << 40, MaxCapacity}, {math.MaxInt, MaxCapacity},
	} {
		var o options
		Capacity(tc.hint)(&o)
		if o.capacity != tc.want {
			t.Errorf("Capacity(%d) sizes the store for %d, want %d", tc.hint, o.capacity, tc.want)
		}
	}
}

func mustDo(t *testing.T, call string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", call, err)
	}
}

// credentialFor returns a fresh 32-character credential.
func credentialFor(t *testing.T) string {
	t.Helper()
	v, err := oauth.NewCredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
