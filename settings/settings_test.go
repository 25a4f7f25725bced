package settings_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/settings"
)

func TestSettingsDefaults(t *testing.T) {
	s := settings.New()
	want := map[string]string{
		"oauth/consumer/enable_integration_as_bearer":         "0",
		"webapi/webapisecurity/allow_insecure":                "0",
		"oauth/consumer/expiration_period":                    "300",
		"oauth/consumer/post_timeout":                         "5",
		"oauth/consumer/post_maxredirects":                    "0",
		"oauth/authentication_lock/max_failures_count":        "6",
		"oauth/authentication_lock/timeout":                   "1800",
		"webapi/jwtauth/admin_expiration":                     "60",
		"webapi/jwtauth/customer_expiration":                  "60",
		"oauth/access_token_lifetime/admin":                   "4",
		"oauth/access_token_lifetime/customer":                "1",
		"oauth/cleanup/cleanup_probability":                   "100",
		"oauth/cleanup/expiration_period":                     "120",
		"customer/password/minimum_password_length":           "8",
		"customer/password/required_character_classes_number": "3",
	}
	if diff := cmp.Diff(want, s.All()); diff != "" {
		t.Errorf("All() mismatch (-want +got):\n%s", diff)
	}
	if s.IntegrationAsBearer() || s.AllowInsecure() || s.ConsumerExpiration() != 300*time.Second ||
		s.PostTimeout() != 5*time.Second || s.PostMaxRedirects() != 0 || s.MaxFailures() != 6 ||
		s.LockTimeout() != 1800*time.Second || s.AdminJWTLifetime() != time.Hour || s.CustomerJWTLifetime() != time.Hour ||
		s.AdminTokenLifetime() != 4*time.Hour || s.CustomerTokenLifetime() != time.Hour ||
		s.CleanupProbability() != 100 || s.CleanupExpiration() != 120*time.Minute ||
		s.MinPasswordLength() != 8 || s.PasswordClasses() != 3 {
		t.Errorf("typed defaults differ from Magento's")
	}
}

func TestSettingsSet(t *testing.T) {
	s := settings.New()
	if err := s.Set(map[string]string{
		settings.PathIntegrationAsBearer: "1", settings.PathConsumerExpiration: "0", settings.PathPostTimeout: "-2",
		settings.PathCustomerJWTExpiration: "", settings.PathCleanupExpiration: " 30 ", "acme/custom/path": "anything",
	}); err != nil {
		t.Fatal(err)
	}
	if !s.IntegrationAsBearer() || s.ConsumerExpiration() != 300*time.Second || s.PostTimeout() != 5*time.Second ||
		s.CustomerJWTLifetime() != 30*time.Minute || s.CleanupExpiration() != 30*time.Minute {
		t.Errorf("fallbacks not applied: %v", s.All())
	}
	if v, ok := s.Value("acme/custom/path"); !ok || v != "anything" {
		t.Errorf("Value(custom) = %q, %v", v, ok)
	}
	before := s.All()
	for _, bad := range []map[string]string{
		{settings.PathAllowInsecure: "yes"},
		{settings.PathMaxFailures: "six", settings.PathAllowInsecure: "1"},
		{settings.PathLockTimeout: "1.5"},
	} {
		err := s.Set(bad)
		var me *magerr.Error
		if !errors.As(err, &me) || me.Status() != 400 || me.Message != settings.MsgInvalidSetting {
			t.Errorf("Set(%v) = %v, want an input error", bad, err)
		}
	}
	if diff := cmp.Diff(before, s.All()); diff != "" {
		t.Errorf("a refused Set changed the settings:\n%s", diff)
	}
	s.Reset()
	if _, ok := s.Value("acme/custom/path"); ok || s.IntegrationAsBearer() {
		t.Errorf("Reset kept values: %v", s.All())
	}
}

// TestSettingsConcurrent runs readers against writers; run with -race.
func TestSettingsConcurrent(t *testing.T) {
	s := settings.New()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 200 {
				if err := s.Set(map[string]string{settings.PathPostTimeout: strconv.Itoa(i*1000 + j + 1)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				if s.PostTimeout() <= 0 || s.All()[settings.PathPostTimeout] == "" {
					t.Error("reader saw no value")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestSetRefusesOverflow checks that integer settings whose durations
// would overflow are refused and change nothing.
func TestSetRefusesOverflow(t *testing.T) {
	s := settings.New()
	for _, tc := range []struct{ path, value string }{
		{settings.PathCleanupExpiration, "3749353613647811"},
		{settings.PathAdminJWTExpiration, "9223372036854775807"},
		{settings.PathConsumerExpiration, "-99999999999999"},
		{settings.PathAdminTokenLifetime, "99999999999"},
		{settings.PathPostTimeout, "99999999999999999999"},
	} {
		err := s.Set(map[string]string{tc.path: tc.value})
		if err == nil || !strings.Contains(err.Error(), "is not valid for") {
			t.Errorf("Set(%s=%s) = %v, want a validation error", tc.path, tc.value, err)
		}
	}
	if got, want := s.CleanupExpiration(), 120*time.Minute; got != want {
		t.Errorf("CleanupExpiration after refused sets = %v, want %v", got, want)
	}
	if err := s.Set(map[string]string{settings.PathCleanupExpiration: "525600"}); err != nil || s.CleanupExpiration() != 525600*time.Minute {
		t.Errorf("a year of minutes: %v, %v", err, s.CleanupExpiration())
	}
}
