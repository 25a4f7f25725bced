// Package lockout is Magento's RequestThrottler for the admin and customer
// token services (docs/magento-behaviour.md §13.3): failed sign-ins counted per user name and
// type, locking the name once they reach the configured maximum.
package lockout

import (
	"strings"
	"sync"
	"time"

	"github.com/magekit/magekit/user"
)

// Throttler is Magento's RequestThrottler over oauth_token_request_log:
// failed token requests per user name and type, counted while the lock has
// not expired; each failure moves the expiry to now + timeout, and a
// success deletes the row. Names compare case-insensitively, as MySQL's
// collation compares user_name. Rows whose lock has expired count as
// deleted, as the every-minute cleanup cron deletes them.
type Throttler struct {
	mu   sync.Mutex
	rows map[Key]row
	// sweepAt is the number of rows at which fail deletes the expired ones,
	// as Magento's cron does every minute: set to twice what a sweep
	// leaves, so sweeping costs O(1) per failure.
	sweepAt int
}

// minSweep is the fewest rows at which fail sweeps.
const minSweep = 1024

// Key names a user to the throttler: its type and lower-cased name.
// Magento's RequestThrottler numbers the two types otherwise (customer 2,
// admin 3, docs/magento-behaviour.md §13.3); in memory only telling them apart matters.
type Key struct {
	typ  user.Type
	name string
}

type row struct {
	failures int
	expires  time.Time
}

// New returns an empty throttler.
func New() *Throttler {
	return &Throttler{rows: make(map[Key]row), sweepAt: minSweep}
}

// maxName is the width of Magento's user_name column.
const maxName = 255

// NewKey returns the key of the user of type typ named name.
// Only the first 255 characters of name count, as Magento's
// oauth_token_request_log.user_name column (varchar 255) keeps them: a
// row costs at most that much, whatever name a caller sends.
func NewKey(typ user.Type, name string) Key {
	if len(name) > maxName {
		n := 0
		for i := range name {
			if n == maxName {
				name = name[:i]
				break
			}
			n++
		}
	}
	return Key{typ: typ, name: strings.ToLower(name)}
}

// Locked reports whether the user may not try: its live failures reach max.
func (t *Throttler) Locked(k Key, now time.Time, max int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	failures := 0
	if row, ok := t.rows[k]; ok && row.expires.After(now) {
		failures = row.failures
	}
	return failures >= max
}

// Fail records a failure and slides the lock to now + timeout.
func (t *Throttler) Fail(k Key, now time.Time, timeout time.Duration) {
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

// Succeed deletes the user's row.
func (t *Throttler) Succeed(k Key) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.rows, k)
}

// Reset deletes every row.
func (t *Throttler) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.rows)
}
