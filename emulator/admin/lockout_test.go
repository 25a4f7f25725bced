package admin_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/integrationtest"
)

func TestLockout(t *testing.T) {
	type step struct {
		advance time.Duration
		ok      bool
		wantErr bool // ErrLocked
	}
	fail, pass := step{ok: false}, step{ok: true}
	locked := func(ok bool) step { return step{ok: ok, wantErr: true} }
	tests := []struct {
		name     string
		settings map[string]string
		steps    []step
	}{
		{"six failures lock", nil, []step{fail, fail, fail, fail, fail, fail, locked(true), locked(false)}},
		{"five failures do not", nil, []step{fail, fail, fail, fail, fail, pass, fail, fail, fail, fail, fail, pass}},
		{"a success clears the count", nil, []step{fail, fail, fail, fail, fail, pass, fail, pass}},
		{"the lock expires after the threshold", nil, []step{fail, fail, fail, fail, fail, fail, {advance: 30*time.Minute + time.Second, ok: true}}},
		{"the lock holds until then", nil, []step{fail, fail, fail, fail, fail, fail, {advance: 29 * time.Minute, ok: true, wantErr: true}}},
		{"an old first failure starts a new window", nil, []step{fail, fail, fail, fail, fail, {advance: 31 * time.Minute}, fail, fail, fail, fail, pass}},
		{"lockout_failures 2", map[string]string{admin.PathLockoutFailures: "2"}, []step{fail, fail, locked(true)}},
		{"lockout_failures 1 locks on the second failure", map[string]string{admin.PathLockoutFailures: "1"}, []step{fail, pass, fail, fail, locked(true)}},
		{"lockout_failures 0 disables", map[string]string{admin.PathLockoutFailures: "0"}, []step{fail, fail, fail, fail, fail, fail, fail, pass}},
		{"lockout_threshold 0 disables", map[string]string{admin.PathLockoutThreshold: "0"}, []step{fail, fail, fail, fail, fail, fail, fail, pass}},
		{"lockout_threshold 1 minute", map[string]string{admin.PathLockoutFailures: "2", admin.PathLockoutThreshold: "1"}, []step{fail, fail, {advance: 61 * time.Second, ok: true}}},
		{"a non-number reads as 0", map[string]string{admin.PathLockoutFailures: "many"}, []step{fail, fail, fail, fail, fail, fail, fail, pass}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: time.Unix(1_700_000_000, 0)}
			s := &mapSettings{m: tt.settings}
			if s.m == nil {
				s.m = map[string]string{}
			}
			l := admin.NewLockout(s, clk.Now)
			for i, st := range tt.steps {
				clk.Advance(st.advance)
				err := l.Record("Admin", st.ok)
				if got := errors.Is(err, admin.ErrLocked); got != st.wantErr {
					t.Fatalf("step %d: Record(ok=%v) = %v, want locked %v", i+1, st.ok, err, st.wantErr)
				}
			}
		})
	}
}

func TestLockoutNamesAreCaseInsensitive(t *testing.T) {
	l := admin.NewLockout(nil, nil)
	for range 6 {
		_ = l.Record("admin", false)
	}
	if !l.Locked("ADMIN") || l.Locked("other") {
		t.Fatal("Locked does not compare names case-insensitively or mixes users")
	}
	l.Unlock("Admin")
	if l.Locked("admin") {
		t.Fatal("Unlock left the user locked")
	}
}

// TestLockoutConcurrent makes many failures at once: exactly the count
// reaches the lock, whatever the interleaving.
func TestLockoutConcurrent(t *testing.T) {
	l := admin.NewLockout(nil, nil)
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = l.Record("admin", false)
		}()
	}
	wg.Wait()
	if l.Locked("admin") {
		t.Fatal("five concurrent failures locked the user")
	}
	_ = l.Record("admin", false)
	if !l.Locked("admin") {
		t.Fatal("the sixth failure did not lock the user")
	}
}

// TestControlRouteSharesLockout: the control route's current_password
// check counts toward the same lockout as the Admin's sign-in.
func TestControlRouteSharesLockout(t *testing.T) {
	srv := integrationtest.NewServer(t)
	in := srv.CreateIntegration(t, integration.Integration{Name: "Shared"})
	body := `{"integration":{"name":"Renamed"},"current_password":"%s"}`
	for i := range 6 {
		status, b := srv.AdminDo(t, "PUT", fmt.Sprintf("/rest/V1/integrations/%d", in.ID), fmt.Sprintf(body, "wrong"))
		if status != http.StatusUnauthorized || !strings.Contains(string(b), admin.MsgPasswordInvalid) {
			t.Fatalf("failure %d = %d %s", i+1, status, b)
		}
	}
	status, b := srv.AdminDo(t, "PUT", fmt.Sprintf("/rest/V1/integrations/%d", in.ID), fmt.Sprintf(body, "magento123"))
	if status != http.StatusUnauthorized || !strings.Contains(string(b), admin.MsgAccountDisabled) {
		t.Fatalf("right password while locked = %d %s", status, b)
	}
	if !srv.Emulator.Admin().Lockout().Locked("admin") {
		t.Fatal("the Admin's lockout does not see the control route's failures")
	}
}
