package emulator_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store/memstore"
)

// downStore is a store whose integration reads fail, as a database that
// went away does.
type downStore struct{ integration.Store }

func (downStore) Integration(context.Context, int64) (integration.Integration, error) {
	return integration.Integration{}, errors.New("db: connection refused")
}

func TestHealth(t *testing.T) {
	st, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		store      integration.Store
		method     string
		wantStatus int
		wantBody   string
	}{
		{"up", st, "GET", 200, `{"status":"ok"}`},
		{"head", st, "HEAD", 200, ``},
		{"post", st, "POST", 405, `{"status":"method not allowed"}`},
		{"store down", downStore{st}, "GET", 503, `{"status":"unavailable"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, err := emulator.New(t.Context(), emulator.Config{Store: tc.store})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(emu)
			defer srv.Close()
			req, _ := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+emulator.HealthPath, nil)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus || string(body) != tc.wantBody {
				t.Fatalf("%s %s = %d %s, want %d %s", tc.method, emulator.HealthPath, resp.StatusCode, body, tc.wantStatus, tc.wantBody)
			}
			if n := len(emu.Journal()); n != 0 {
				t.Errorf("journal has %d entries after a health check, want 0", n)
			}
		})
	}
}
