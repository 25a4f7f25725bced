package lockout

import (
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/user"
)

// TestThrottlerSweepsExpiredRows checks that failures of many distinct
// user names do not grow the throttler for ever: rows whose lock has
// expired are deleted as new failures arrive, while live rows stay and
// still lock.
func TestThrottlerSweepsExpiredRows(t *testing.T) {
	th := New()
	start := time.Unix(1_700_000_000, 0)
	live := NewKey(user.Admin, "admin")
	for range 6 {
		th.Fail(live, start, time.Hour)
	}
	for i := range 100_000 {
		now := start.Add(time.Duration(i) * time.Millisecond)
		th.Fail(NewKey(user.Customer, "user"+strconv.Itoa(i)), now, time.Second)
	}
	if n := len(th.rows); n > 4*minSweep {
		t.Errorf("%d rows after 100,000 failures of one-second locks, want at most %d", n, 4*minSweep)
	}
	if !th.Locked(live, start.Add(time.Minute), 6) {
		t.Error("the live lock of admin was swept")
	}
}
