package integration_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integration/xmlconfig"
)

func TestProvisionExamples(t *testing.T) {
	fsys := os.DirFS("../examples/config")
	cons, legacy, err := xmlconfig.LoadDir(fsys)
	if err != nil {
		t.Fatalf("LoadDir(examples/config): %v", err)
	}
	wantCons := []xmlconfig.Integration{{Name: "AcmeSync", Email: "ops@acme.example",
		Endpoint: "https://acme.example/magento/endpoint", IdentityLinkURL: "https://acme.example/magento/link",
		Resources: []string{"Magento_Sales::sales_order", "Magento_Catalog::products", "Magento_Reports::salesroot_sales"}}}
	if diff := cmp.Diff(wantCons, cons); diff != "" {
		t.Errorf("consolidated (-want +got):\n%s", diff)
	}
	wantLegacy := []xmlconfig.Integration{{Name: "AcmeLegacy", Email: "ops@acme.example", Endpoint: "https://acme.example/cb",
		Resources: []string{"Magento_Catalog::catalog", "Magento_Catalog::catalog_inventory", "Magento_Catalog::products"}}}
	if diff := cmp.Diff(wantLegacy, legacy); diff != "" {
		t.Errorf("legacy (-want +got):\n%s", diff)
	}

	svc, _ := newService(t, integration.Config{})
	ctx := t.Context()
	res := provision(t, svc, cons...)
	if _, err := svc.ProvisionLegacy(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	in, err := svc.Get(ctx, res.Integrations[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	wantGrant := append(append([]string(nil), acmeSyncGrant...),
		"Magento_Reports::report", "Magento_Reports::salesroot", "Magento_Reports::salesroot_sales")
	if diff := cmp.Diff(wantGrant, in.Resources); diff != "" {
		t.Errorf("AcmeSync grant (-want +got):\n%s", diff)
	}

	// ProvisionDir does both at once; on the same store everything is now
	// unchanged.
	all, err := svc.ProvisionDir(ctx, fsys)
	if err != nil {
		t.Fatalf("ProvisionDir: %v", err)
	}
	want := "\"AcmeSync\": unchanged (id 1)\n\"AcmeLegacy\": unchanged (id 2)"
	if got := all.String(); got != want {
		t.Errorf("ProvisionDir = %q, want %q", got, want)
	}
}

func TestProvisionDirConflict(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	dir := t.TempDir()
	write := func(path string, data []byte) {
		t.Helper()
		full := dir + "/" + path
		if err := os.MkdirAll(full[:strings.LastIndexByte(full, '/')], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("A/etc/integration.xml", []byte(`<config><integration name="Both"><email>a@b.c</email></integration></config>`))
	write("B/etc/integration/config.xml", []byte(`<integrations><integration name="Both"><email>a@b.c</email></integration></integrations>`))
	_, err := svc.ProvisionDir(t.Context(), os.DirFS(dir))
	var ce *xmlconfig.Error
	if !errors.As(err, &ce) || ce.File != "" || ce.Integration != "Both" || !strings.Contains(ce.Rule, "declared in both") {
		t.Errorf("ProvisionDir error = %v, want one *xmlconfig.Error for %q declared in both kinds", err, "Both")
	}
	if list, _ := s.Integrations(t.Context()); len(list) != 0 {
		t.Fatalf("%d integrations stored after a refused ProvisionDir", len(list))
	}
}
