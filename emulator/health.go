package emulator

import (
	"context"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/magekit/magekit/integration"
)

// HealthPath is the emulator's readiness route: GET answers 200
// {"status":"ok"} without authentication while the store answers, and 503
// {"status":"unavailable"} when it does not. It is meant for docker compose
// healthchecks and CI scripts that wait for the emulator; its calls are not
// journaled, so a healthcheck every second does not crowd out the requests
// a test wants to verify.
const HealthPath = "/rest/V1/emulator/health"

// healthTimeout bounds the store probe of one health check.
const healthTimeout = 2 * time.Second

// serveHealth answers the readiness route. Any method but GET and HEAD gets
// 405, as the route exists for reading only.
func (e *Emulator) serveHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"status": "method not allowed"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	// A read of an id no integration has: it reaches the store (a SQL
	// round trip on sqlstore) and answers not found when the store is up.
	if _, err := e.stack.Service.Get(ctx, math.MaxInt64); err != nil && !errors.Is(err, integration.ErrNotFound) {
		e.log.WarnContext(r.Context(), "emulator: health check: store unavailable", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
