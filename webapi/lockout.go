package webapi

import (
	"strings"
	"sync"
	"time"

	"github.com/magekit/magekit/user"
)

// throttler is Magento's RequestThrottler over oauth_token_request_log:
// failed token requests per user name and type, counted while the lock has
// not expired; each failure moves the expiry to now + timeout, and a
// success deletes the row. Names compare case-insensitively, as MySQL's
// collation compares user_name. Rows whose lock has expired count as
// deleted, as the every-minute cleanup cron deletes them.
type throttler struct {
	mu   sync.Mutex
	rows map[throttleKey]throttleRow
	// sweepAt is the number of rows at which fail deletes the expired ones,
	// as Magento's cron does every minute: set to twice what a sweep
	// leaves, so sweeping costs O(1) per failure.
	sweepAt int
}

// minSweep is the fewest rows at which fail sweeps.
const minSweep = 1024

type throttleKey struct {
	typ  user.Type // Magento's RequestThrottler numbers the two types otherwise (customer 2, admin 3, SPEC §13.3); in memory only telling them apart matters
	name string
}

type throttleRow struct {
	failures int
	expires  time.Time
}

func newThrottler() *throttler {
	return &throttler{rows: make(map[throttleKey]throttleRow), sweepAt: minSweep}
}

func newThrottleKey(typ user.Type, name string) throttleKey {
	return throttleKey{typ: typ, name: strings.ToLower(name)}
}

// locked reports whether the user may not try: its live failures reach max.
func (t *throttler) locked(k throttleKey, now time.Time, max int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	failures := 0
	if row, ok := t.rows[k]; ok && row.expires.After(now) {
		failures = row.failures
	}
	return failures >= max
}

// fail records a failure and slides the lock to now + timeout.
func (t *throttler) fail(k throttleKey, now time.Time, timeout time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	row := t.rows[k]
	if !row.expires.After(now) {
		row.failures = 0
	}
	row.failures++
	row.expires = now.Add(timeout)
	t.rows[k] = row
	if len(t.rows) >= t.sweepAt {
		for key, r := range t.rows {
			if !r.expires.After(now) {
				delete(t.rows, key)
			}
		}
		t.sweepAt = max(2*len(t.rows), minSweep)
	}
}

// succeed deletes the user's row.
func (t *throttler) succeed(k throttleKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.rows, k)
}

// reset deletes every row.
func (t *throttler) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.rows)
}
