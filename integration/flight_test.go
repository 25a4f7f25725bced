package integration_test

import (
	"sync"
	"testing"
	"time"

	"context"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
)

// TestConcurrentActivations activates one integration from 32 goroutines
// at once: every caller must get the credentials that are valid at the
// end, not 31 superseded ones.
func TestConcurrentActivations(t *testing.T) {
	const n = 32
	st, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	// The first activation's transaction waits until every caller has
	// arrived, so that all 32 overlap it, as a burst of clicks does.
	arrived := make(chan struct{}, n)
	in, err := integration.NewService(st, integration.Config{}).Create(t.Context(), integration.Integration{Name: "ERP", AllResources: true})
	if err != nil {
		t.Fatal(err)
	}
	svc := integration.NewService(&slowStore{Store: st, arrived: arrived, n: n}, integration.Config{})
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		answers [n]integration.Activation
		errs    [n]error
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			arrived <- struct{}{}
			answers[i], errs[i] = svc.Activate(t.Context(), in.ID)
		}()
	}
	close(start)
	wg.Wait()
	final, err := svc.Credentials(t.Context(), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	valid := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("activation %d: %v", i, errs[i])
		}
		if answers[i].Credentials.AccessToken == final.AccessToken {
			valid++
		}
	}
	if valid != n {
		t.Errorf("%d of %d concurrent activations answered the valid credentials", valid, n)
	}
}

// slowStore holds its first transaction until n callers have arrived.
type slowStore struct {
	integration.Store
	arrived chan struct{}
	n       int
	once    sync.Once
}

func (s *slowStore) Atomic(ctx context.Context, fn func(ctx context.Context, tx oauth.Store) error) error {
	s.once.Do(func() {
		for range s.n {
			<-s.arrived
		}
		// Every caller has announced itself just before calling Activate;
		// give the last ones time to reach it.
		time.Sleep(250 * time.Millisecond)
	})
	return s.Store.Atomic(ctx, fn)
}
