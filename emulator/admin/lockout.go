package admin

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/magekit/magekit/settings"
)

// Config paths of Stores › Configuration › Advanced › Admin › Security
// (app/code/Magento/Backend/etc/adminhtml/system.xml, defaults in
// app/code/Magento/User/etc/config.xml and
// app/code/Magento/Backend/etc/config.xml; docs/magento-admin.md §7.1).
const (
	PathLockoutFailures  = settings.PathAdminLockoutFailures  // default 6
	PathLockoutThreshold = settings.PathAdminLockoutThreshold // minutes, default 30
	PathSessionLifetime  = settings.PathAdminSessionLifetime  // seconds, default 900
)

// Defaults of the admin security settings.
const (
	DefaultLockoutFailures  = 6
	DefaultLockoutThreshold = 30 * time.Minute
	DefaultSessionLifetime  = 900 * time.Second
)

// ErrLocked is returned by [Lockout.Record] when the admin user is locked
// out: Magento's UserLockedException.
var ErrLocked = errors.New("admin: the admin user is locked")

// ConfigReader reads one config path; *webapi.Settings is one.
type ConfigReader interface {
	Value(path string) (string, bool)
}

// Lockout is Magento's admin-user lockout (admin_user's failures_num,
// first_failure and lock_expires, updated by
// app/code/Magento/User/Observer/Backend/AuthObserver.php), shared by the
// admin sign-in and the "Your Password" confirmation of the integration
// form (docs/magento-admin.md §7.1). It is distinct from the token
// services' oauth/authentication_lock throttle.
//
// The rule, per user name (case-insensitive): a password check while the
// lock has not expired fails with ErrLocked, whatever the password. A
// wrong password counts a failure; the first failure, or one after the
// first failure of the window is older than the lockout threshold, starts
// a new window at 1; a later failure that brings the count to
// lockout_failures sets the lock to now + threshold. A right password
// clears the counters. A threshold or a maximum of 0 disables counting.
//
// Lockout is safe for concurrent use. It keeps one entry per user name
// that failed, and only for names the caller reports as existing users.
type Lockout struct {
	cfg  ConfigReader
	now  func() time.Time
	mu   sync.Mutex
	rows map[string]lockRow
}

type lockRow struct {
	failures     int
	firstFailure time.Time
	lockExpires  time.Time
}

// NewLockout returns a Lockout reading its limits from cfg (nil: the
// defaults) with clock now (nil: time.Now).
func NewLockout(cfg ConfigReader, now func() time.Time) *Lockout {
	if now == nil {
		now = time.Now
	}
	return &Lockout{cfg: cfg, now: now, rows: make(map[string]lockRow)}
}

// limits returns lockout_failures and lockout_threshold, read as Magento
// reads them: (int) casts, where anything not a number is 0.
func (l *Lockout) limits() (int, time.Duration) {
	failures, threshold := DefaultLockoutFailures, DefaultLockoutThreshold
	if l.cfg == nil {
		return failures, threshold
	}
	if v, ok := l.cfg.Value(PathLockoutFailures); ok {
		failures = phpInt(v)
	}
	if v, ok := l.cfg.Value(PathLockoutThreshold); ok {
		threshold = time.Duration(phpInt(v)) * time.Minute
	}
	return failures, threshold
}

// phpInt is PHP's (int) cast of a config string: the leading integer, or 0.
func phpInt(s string) int {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || end == 0 && s[end] == '-') {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// Locked reports whether username is locked now.
func (l *Lockout) Locked(username string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rows[strings.ToLower(username)].lockExpires.After(l.now())
}

// Record records the outcome of a password check of username and returns
// ErrLocked when the user was locked when the check ran; the outcome is
// then not recorded. Otherwise it returns nil: a failure is counted, a
// success clears the counters.
func (l *Lockout) Record(username string, ok bool) error {
	key := strings.ToLower(username)
	max, threshold := l.limits()
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	row := l.rows[key]
	if row.lockExpires.After(now) {
		return ErrLocked
	}
	if ok {
		delete(l.rows, key)
		return nil
	}
	if max <= 0 || threshold <= 0 {
		return nil
	}
	row.failures++
	if row.failures == 1 || row.firstFailure.IsZero() || now.Sub(row.firstFailure) > threshold {
		row.failures, row.firstFailure = 1, now
	}
	if row.failures >= max && row.failures > 1 {
		row.lockExpires = now.Add(threshold)
	}
	l.rows[key] = row
	return nil
}

// Unlock clears the counters of username, as an administrator's unlock
// does.
func (l *Lockout) Unlock(username string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.rows, strings.ToLower(username))
}

// Reset clears every counter.
func (l *Lockout) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.rows)
}
