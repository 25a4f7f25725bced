package settings

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/magekit/magekit/magerr"
)

// The Magento config paths that the Web API, the OAuth provider and the
// integration service read (docs/magento-behaviour.md §2.4, §2.6, §3.4, §7.5, §11, §13.3, §13.4),
// and the customer password rules of Magento_Customer's config.xml.
const (
	PathIntegrationAsBearer   = "oauth/consumer/enable_integration_as_bearer"
	PathAllowInsecure         = "webapi/webapisecurity/allow_insecure"
	PathConsumerExpiration    = "oauth/consumer/expiration_period"
	PathPostTimeout           = "oauth/consumer/post_timeout"
	PathPostMaxRedirects      = "oauth/consumer/post_maxredirects"
	PathMaxFailures           = "oauth/authentication_lock/max_failures_count"
	PathLockTimeout           = "oauth/authentication_lock/timeout"
	PathAdminJWTExpiration    = "webapi/jwtauth/admin_expiration"
	PathCustomerJWTExpiration = "webapi/jwtauth/customer_expiration"
	PathAdminTokenLifetime    = "oauth/access_token_lifetime/admin"
	PathCustomerTokenLifetime = "oauth/access_token_lifetime/customer"
	PathCleanupProbability    = "oauth/cleanup/cleanup_probability"
	PathCleanupExpiration     = "oauth/cleanup/expiration_period"
	PathMinPasswordLength     = "customer/password/minimum_password_length"
	PathPasswordClasses       = "customer/password/required_character_classes_number"
	// Stores › Configuration › Advanced › Admin › Security, which the
	// emulator's Admin reads (app/code/Magento/Backend/etc/adminhtml/system.xml).
	PathAdminLockoutFailures  = "admin/security/lockout_failures"
	PathAdminLockoutThreshold = "admin/security/lockout_threshold"
	PathAdminSessionLifetime  = "admin/security/session_lifetime"
)

// MsgInvalidSetting is the input error of [Settings.Set] for a value a known
// path does not take. It is magekit's own: Magento's admin form offers no
// invalid choice.
const MsgInvalidSetting = `The value "%1" is not valid for "%2": %3 expected.`

// settingKind is how a known path's value is validated.
type settingKind uint8

const (
	kindYesNo settingKind = iota // "0" or "1"
	kindInt                      // a decimal integer, or empty
)

// knownSettings are the paths this package knows, with Magento's defaults
// (config.xml; enable_integration_as_bearer has none, which reads as 0).
// Each integer path has a bound: its value, in its unit, must stay within
// about a hundred years (or a million, for counts), so that no value can
// overflow the durations derived from it: a huge cleanup period that
// wrapped round to nanoseconds would forget every nonce and let a captured
// request replay.
const (
	maxSeconds = 100 * 365 * 24 * 3600
	maxMinutes = maxSeconds / 60
	maxHours   = maxMinutes / 60
	maxCount   = 1_000_000
)

var knownSettings = map[string]struct {
	kind settingKind
	def  string
	max  int64 // integers: the largest magnitude accepted
}{
	PathIntegrationAsBearer:   {kindYesNo, "0", 0},
	PathAllowInsecure:         {kindYesNo, "0", 0},
	PathConsumerExpiration:    {kindInt, "300", maxSeconds},
	PathPostTimeout:           {kindInt, "5", maxSeconds},
	PathPostMaxRedirects:      {kindInt, "0", maxCount},
	PathMaxFailures:           {kindInt, "6", maxCount},
	PathLockTimeout:           {kindInt, "1800", maxSeconds},
	PathAdminJWTExpiration:    {kindInt, "60", maxMinutes},
	PathCustomerJWTExpiration: {kindInt, "60", maxMinutes},
	PathAdminTokenLifetime:    {kindInt, "4", maxHours},
	PathCustomerTokenLifetime: {kindInt, "1", maxHours},
	PathCleanupProbability:    {kindInt, "100", maxCount},
	PathCleanupExpiration:     {kindInt, "120", maxMinutes},
	PathMinPasswordLength:     {kindInt, "8", maxCount},
	PathPasswordClasses:       {kindInt, "3", maxCount},
	// Read by the Admin (emulator/admin), which applies Magento's defaults
	// (6, 30 minutes, 900 seconds) to an unset value: validated here, and
	// without a default, so Reset leaves them unset (an empty
	// admin/security/lockout_failures would turn the Admin's lockout off).
	PathAdminLockoutFailures:  {kindInt, "", maxCount},
	PathAdminLockoutThreshold: {kindInt, "", maxMinutes},
	PathAdminSessionLifetime:  {kindInt, "", maxSeconds},
}

// Settings is the store configuration that Magento reads with
// ScopeConfig, at default scope: a map from config path to value. Every
// known path starts at Magento's default; other paths are kept as given,
// for hosts that read them.
//
// Settings is safe for concurrent use. Readers load an immutable snapshot
// with one atomic operation and never wait for a writer, so the typed
// accessors suit the request hot path; writers replace the snapshot whole.
type Settings struct {
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[snapshot]
}

// snapshot is one immutable state of the settings, with the typed values
// derived once.
type snapshot struct {
	values             map[string]string
	bearer, insecure   bool
	consumerExpiration time.Duration
	postTimeout        time.Duration
	postMaxRedirects   int
	maxFailures        int
	lockTimeout        time.Duration
	adminJWT           time.Duration
	customerJWT        time.Duration
	adminLifetime      time.Duration
	customerLifetime   time.Duration
	cleanupProbability int
	cleanupExpiration  time.Duration
	minPassword        int
	passwordClasses    int
}

// New returns settings holding Magento's defaults.
func New() *Settings {
	s := new(Settings)
	s.Reset()
	return s
}

// Reset restores Magento's defaults and forgets every other path, and
// the known paths without a default.
func (s *Settings) Reset() {
	values := make(map[string]string, len(knownSettings))
	for p, k := range knownSettings {
		if k.def != "" {
			values[p] = k.def
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snap.Store(derive(values))
}

// All returns a copy of every path and its value.
func (s *Settings) All() map[string]string {
	return maps.Clone(s.snap.Load().values)
}

// Value returns the value of path and whether it is set.
func (s *Settings) Value(path string) (string, bool) {
	v, ok := s.snap.Load().values[path]
	return v, ok
}

// Set changes the given paths together: either every value is valid and
// all are stored, or none is. Known yes/no paths take "0" or "1"; known
// numeric paths take a decimal integer (negative and zero ones included:
// the accessors then apply Magento's fallbacks) or the empty string. Values
// are trimmed of surrounding spaces. An invalid value gives a *magerr.Error
// of class Input, [MsgInvalidSetting], naming the first invalid path in
// sorted order.
func (s *Settings) Set(values map[string]string) error {
	for _, p := range slices.Sorted(maps.Keys(values)) {
		k, known := knownSettings[p]
		if !known {
			continue
		}
		v := strings.TrimSpace(values[p])
		switch k.kind {
		case kindYesNo:
			if v != "0" && v != "1" {
				return magerr.New(magerr.Input, MsgInvalidSetting, values[p], p, "0 or 1")
			}
		case kindInt:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil && v != "" {
				return magerr.New(magerr.Input, MsgInvalidSetting, values[p], p, "an integer")
			}
			if n > k.max || n < -k.max {
				return magerr.New(magerr.Input, MsgInvalidSetting, values[p], p,
					fmt.Sprintf("an integer from %d to %d", -k.max, k.max))
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := maps.Clone(s.snap.Load().values)
	for p, v := range values {
		if _, known := knownSettings[p]; known {
			v = strings.TrimSpace(v)
		}
		next[p] = v
	}
	s.snap.Store(derive(next))
	return nil
}

// Known reports whether path is a config path whose value the emulator
// reads (and validates on [Settings.Set]); Set keeps any other path as
// given.
func Known(path string) bool {
	_, ok := knownSettings[path]
	return ok
}

// derive computes the typed values of a snapshot with Magento's fallbacks.
func derive(v map[string]string) *snapshot {
	num := func(p string) int { n, _ := strconv.Atoi(v[p]); return n }
	atLeast := func(p string, min, fallback int) int {
		if n := num(p); n >= min {
			return n
		}
		return fallback
	}
	return &snapshot{
		values:             v,
		bearer:             v[PathIntegrationAsBearer] == "1",
		insecure:           v[PathAllowInsecure] == "1",
		consumerExpiration: time.Duration(atLeast(PathConsumerExpiration, 1, 300)) * time.Second,
		postTimeout:        time.Duration(atLeast(PathPostTimeout, 1, 5)) * time.Second,
		postMaxRedirects:   atLeast(PathPostMaxRedirects, 0, 0),
		maxFailures:        atLeast(PathMaxFailures, 0, 0),
		lockTimeout:        time.Duration(atLeast(PathLockTimeout, 0, 0)) * time.Second,
		adminJWT:           time.Duration(atLeast(PathAdminJWTExpiration, 1, 30)) * time.Minute,
		customerJWT:        time.Duration(atLeast(PathCustomerJWTExpiration, 1, 30)) * time.Minute,
		adminLifetime:      time.Duration(atLeast(PathAdminTokenLifetime, 0, 0)) * time.Hour,
		customerLifetime:   time.Duration(atLeast(PathCustomerTokenLifetime, 0, 0)) * time.Hour,
		cleanupProbability: atLeast(PathCleanupProbability, 0, 0),
		cleanupExpiration:  time.Duration(atLeast(PathCleanupExpiration, 1, 120)) * time.Minute,
		minPassword:        num(PathMinPasswordLength),
		passwordClasses:    num(PathPasswordClasses),
	}
}

// IntegrationAsBearer reports whether an integration's access token may be
// sent as a standalone Bearer token (docs/magento-behaviour.md §7.5).
func (s *Settings) IntegrationAsBearer() bool { return s.snap.Load().bearer }

// AllowInsecure reports whether "Allow Anonymous Guest Access" is on: the
// routes of [GuestRoutes] then take anonymous callers (docs/magento-behaviour.md §11).
func (s *Settings) AllowInsecure() bool { return s.snap.Load().insecure }

// ConsumerExpiration is the window in which a consumer may take a request
// token after activation starts (docs/magento-behaviour.md §2.4); a value ≤ 0 gives 300 s. It
// suits oauth.Config.ConsumerExpiry.
func (s *Settings) ConsumerExpiration() time.Duration { return s.snap.Load().consumerExpiration }

// PostTimeout is the timeout of the credential POST (docs/magento-behaviour.md §2.6); ≤ 0 gives
// 5 s. It suits integration.Config.PostTimeout.
func (s *Settings) PostTimeout() time.Duration { return s.snap.Load().postTimeout }

// PostMaxRedirects is the number of redirects the credential POST follows
// (docs/magento-behaviour.md §2.6); < 0 gives 0. It suits integration.Config.PostMaxRedirects.
func (s *Settings) PostMaxRedirects() int { return s.snap.Load().postMaxRedirects }

// MaxFailures is the number of failed token requests after which a user is
// locked out (docs/magento-behaviour.md §13.3). 0 locks out every attempt.
func (s *Settings) MaxFailures() int { return s.snap.Load().maxFailures }

// LockTimeout is how long a user's failures count, from the last one
// (docs/magento-behaviour.md §13.3).
func (s *Settings) LockTimeout() time.Duration { return s.snap.Load().lockTimeout }

// AdminJWTLifetime is the lifetime of an admin token (docs/magento-behaviour.md §13.4); a value
// ≤ 0 gives 30 minutes.
func (s *Settings) AdminJWTLifetime() time.Duration { return s.snap.Load().adminJWT }

// CustomerJWTLifetime is the lifetime of a customer token (docs/magento-behaviour.md §13.4); a
// value ≤ 0 gives 30 minutes.
func (s *Settings) CustomerJWTLifetime() time.Duration { return s.snap.Load().customerJWT }

// AdminTokenLifetime is the lifetime of an opaque admin token (docs/magento-behaviour.md §3.4);
// 0 means no expiry. This package issues JWTs, so it does not read it.
func (s *Settings) AdminTokenLifetime() time.Duration { return s.snap.Load().adminLifetime }

// CustomerTokenLifetime is the lifetime of an opaque customer token (docs/magento-behaviour.md
// §3.4); 0 means no expiry. This package issues JWTs, so it does not read
// it.
func (s *Settings) CustomerTokenLifetime() time.Duration { return s.snap.Load().customerLifetime }

// CleanupProbability is N of the 1-in-N cleanup of nonces and request
// tokens after a save (docs/magento-behaviour.md §3.4); 0 disables it.
func (s *Settings) CleanupProbability() int { return s.snap.Load().cleanupProbability }

// CleanupExpiration is the age past which the cleanup deletes nonces and
// request tokens (docs/magento-behaviour.md §3.4); ≤ 0 gives 120 minutes.
func (s *Settings) CleanupExpiration() time.Duration { return s.snap.Load().cleanupExpiration }

// MinPasswordLength is the shortest password a new customer may choose
// (customer/password/minimum_password_length, default 8).
func (s *Settings) MinPasswordLength() int { return s.snap.Load().minPassword }

// PasswordClasses is how many of the classes lower case, upper case,
// digits and other characters a new customer's password must mix
// (customer/password/required_character_classes_number, default 3).
func (s *Settings) PasswordClasses() int { return s.snap.Load().passwordClasses }
