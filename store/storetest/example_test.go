package storetest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/store/storetest"
)

// The operation under test creates an integration and its consumer in one
// transaction. Counting its writes first, then failing each in turn, shows
// that every failure leaves the store as it was.
func ExampleFaulty() {
	ctx := context.Background()
	s, err := memstore.New()
	if err != nil {
		log.Fatal(err)
	}
	f := storetest.NewFaulty(s)
	create := func(name string) error {
		return f.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
			itx := tx.(integration.Store)
			in := integration.Integration{Name: name}
			if err := itx.CreateIntegration(ctx, &in); err != nil {
				return err
			}
			c := oauth.Consumer{Name: "Integration", Key: name + "-key", Secret: name + "-secret"}
			if err := itx.CreateConsumer(ctx, &c); err != nil {
				return err
			}
			in.ConsumerID = c.ID
			return itx.UpdateIntegration(ctx, in)
		})
	}

	f.Reset()
	if err := create("ERP"); err != nil {
		log.Fatal(err)
	}
	writes := f.Writes()
	fmt.Println("writes:", writes)

	for i := 1; i <= writes; i++ {
		before, err := storetest.Snapshot(ctx, f)
		if err != nil {
			log.Fatal(err)
		}
		f.FailAt(i)
		err = create("PIM")
		after, _ := storetest.Snapshot(ctx, f)
		fmt.Printf("write %d fails: injected %t, store unchanged %t\n",
			i, errors.Is(err, storetest.ErrInjected), cmp.Equal(before, after))
	}
	// Output:
	// writes: 3
	// write 1 fails: injected true, store unchanged true
	// write 2 fails: injected true, store unchanged true
	// write 3 fails: injected true, store unchanged true
}
