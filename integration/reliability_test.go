package integration_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/store/storetest"
)

// TestFaultsLeaveStoreUnchanged makes each store write of activate,
// reauthorize and delete fail in turn, on both activation paths, and checks
// that the store then holds exactly what it held before.
func TestFaultsLeaveStoreUnchanged(t *testing.T) {
	ep := newEndpoint(t, http.StatusOK)
	type setup struct {
		exchange bool
		active   bool // activate before the operation
	}
	ops := []struct {
		name  string
		setup setup
		run   func(ctx context.Context, svc *integration.Service, id int64) error
	}{
		{"activate direct", setup{}, func(ctx context.Context, svc *integration.Service, id int64) error {
			_, err := svc.Activate(ctx, id)
			return err
		}},
		{"reauthorize direct", setup{active: true}, func(ctx context.Context, svc *integration.Service, id int64) error {
			_, err := svc.Reauthorize(ctx, id)
			return err
		}},
		{"activate exchange", setup{exchange: true}, func(ctx context.Context, svc *integration.Service, id int64) error {
			_, err := svc.Activate(ctx, id)
			return err
		}},
		{"reauthorize exchange", setup{exchange: true, active: true}, func(ctx context.Context, svc *integration.Service, id int64) error {
			_, err := svc.Reauthorize(ctx, id)
			return err
		}},
		{"delete", setup{active: true}, func(ctx context.Context, svc *integration.Service, id int64) error {
			_, err := svc.Delete(ctx, id)
			return err
		}},
		{"create", setup{}, func(ctx context.Context, svc *integration.Service, _ int64) error {
			_, err := svc.Create(ctx, integration.Integration{Name: "Another", AllResources: true})
			return err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			ctx := t.Context()
			// prepare returns a Faulty store holding one integration in the
			// state the operation starts from.
			prepare := func() (*storetest.Faulty, *integration.Service, int64) {
				s, err := memstore.New()
				if err != nil {
					t.Fatal(err)
				}
				f := storetest.NewFaulty(s)
				svc := integration.NewService(f, integration.Config{})
				in := integration.Integration{Name: "ERP", Resources: []string{"Magento_Catalog::products"}}
				if op.setup.exchange {
					in.Endpoint, in.IdentityLinkURL = ep.srv.URL, "https://erp.example/link"
				}
				in, err = svc.Create(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				if op.setup.active {
					if _, err := svc.Activate(ctx, in.ID); err != nil {
						t.Fatal(err)
					}
					if op.setup.exchange {
						// The third party completes the exchange, so the
						// operation starts from an Active integration.
						if _, err := oauth.IssueRequestToken(ctx, f, in.ConsumerID, nil); err != nil {
							t.Fatal(err)
						}
						err := f.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
							if _, err := oauth.IssueAccessToken(ctx, tx, in.ConsumerID, nil); err != nil {
								return err
							}
							return svc.OnAccess(ctx, tx, in.ConsumerID)
						})
						if err != nil {
							t.Fatal(err)
						}
					}
					if got, err := svc.Get(ctx, in.ID); err != nil || got.Status != integration.StatusActive {
						t.Fatalf("setup: status %v, %v; want Active", got.Status, err)
					}
				}
				f.Reset()
				return f, svc, in.ID
			}
			f, svc, id := prepare()
			if err := op.run(ctx, svc, id); err != nil {
				t.Fatalf("%s without faults: %v", op.name, err)
			}
			writes := f.Writes()
			if writes == 0 {
				t.Fatalf("%s made no store write", op.name)
			}
			for i := 1; i <= writes; i++ {
				f, svc, id := prepare()
				before := storetest.MustSnapshot(t, f)
				f.FailAt(i)
				err := op.run(ctx, svc, id)
				if !errors.Is(err, storetest.ErrInjected) {
					t.Fatalf("%s with write %d of %d failing = %v, want the injected fault", op.name, i, writes, err)
				}
				f.Reset()
				if diff := cmp.Diff(before, storetest.MustSnapshot(t, f)); diff != "" {
					t.Fatalf("%s with write %d of %d failing changed the store (-before +after):\n%s", op.name, i, writes, diff)
				}
			}
		})
	}
}
