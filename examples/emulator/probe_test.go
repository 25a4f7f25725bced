package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/magekit/magekit"
)

func TestVersionFlag(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "magekit emulator "+magekit.Version+"\n"; got != want {
		t.Errorf("-version printed %q, want %q", got, want)
	}
}

func TestHealthCheckFlag(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			_, _ = io.WriteString(w, `{"status":"ok"}`)
		case "/slow":
			<-r.Context().Done()
		default:
			http.Error(w, "no", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	tests := []struct {
		name  string
		url   string
		ctx   func() (context.Context, context.CancelFunc)
		usage bool
		want  string // "" = exit 0
	}{
		{"200", srv.URL + "/ok", nil, false, ""},
		{"503", srv.URL + "/down", nil, false, "answered 503 Service Unavailable"},
		{"refused", closed.URL + "/ok", nil, false, "connection refused"},
		{"bad url", "http://[::1", nil, true, "-health-check"},
		{"cancelled", srv.URL + "/slow", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx, func() {}
		}, false, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := t.Context(), context.CancelFunc(func() {})
			if tt.ctx != nil {
				ctx, cancel = tt.ctx()
			}
			defer cancel()
			var out bytes.Buffer
			err := run(ctx, []string{"-health-check", tt.url}, &out, io.Discard)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if got := errors.As(err, new(usageError)); got != tt.usage {
				t.Errorf("usage error = %v, want %v", got, tt.usage)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out.String())
			}
		})
	}
}
