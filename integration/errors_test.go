package integration_test

import (
	"errors"
	"testing"

	"github.com/magekit/magekit/integration"
)

// TestSentinels checks that each failure matches its sentinel with
// errors.Is, whatever its parameters, and no other sentinel.
func TestSentinels(t *testing.T) {
	svc, _ := newService(t, integration.Config{})
	ctx := t.Context()
	if _, err := svc.Create(ctx, integration.Integration{Name: "ERP"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := svc.Create(ctx, integration.Integration{Name: "FromXML", SetupType: integration.SetupConfig})
	if err != nil {
		t.Fatal(err)
	}
	sentinels := []error{integration.ErrNameExists, integration.ErrNotFound, integration.ErrConfigEdit,
		integration.ErrConfigDelete, integration.ErrPostFailed, integration.ErrUnknownResource}
	_, dup := svc.Create(ctx, integration.Integration{Name: "ERP"})
	_, missing := svc.Get(ctx, 999)
	cfg.Email = "x@y.example"
	_, edit := svc.Update(ctx, cfg)
	_, del := svc.Delete(ctx, cfg.ID)
	_, unknown := svc.Create(ctx, integration.Integration{Name: "U", Resources: []string{"Magento_Nope::nope"}})
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"duplicate name", dup, integration.ErrNameExists},
		{"missing id", missing, integration.ErrNotFound},
		{"config edit", edit, integration.ErrConfigEdit},
		{"config delete", del, integration.ErrConfigDelete},
		{"unknown resource", unknown, integration.ErrUnknownResource},
	} {
		for _, s := range sentinels {
			if got := errors.Is(tc.err, s); got != (s == tc.want) {
				t.Errorf("%s: errors.Is(%v, %v) = %v", tc.name, tc.err, s, got)
			}
		}
	}
}
