package sqlstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
)

// burstEnv names the SQLite file TestHelperBurst writes to; without it
// the helper skips.
const burstEnv = "MAGEKIT_SQLSTORE_BURST_DB"

// TestCrashConsistency kills a process with SIGKILL in the middle of a
// burst of activations against a SQLite file, three times over: each time
// the file must open and pass Check (no integration without its consumer,
// no token without its consumer, ...).
func TestCrashConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("starts helper processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	total := 0
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBurst$", "-test.count=1")
		cmd.Env = append(os.Environ(), burstEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan error, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if sc.Text() == "ready" {
					ready <- nil
					break
				}
			}
			ready <- fmt.Errorf("helper stopped before it was ready: %v", sc.Err())
		}()
		select {
		case err := <-ready:
			if err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: %v", round, err)
			}
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: helper not ready after 60 s", round)
		}
		time.Sleep(300 * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
			t.Fatalf("round %d: kill: %v", round, err)
		}
		cmd.Wait()

		s, err := openCheck(t, path)
		if err != nil {
			t.Fatalf("round %d: after SIGKILL: %v", round, err)
		}
		if s <= total {
			t.Errorf("round %d: %d integrations, want more than %d: the burst wrote nothing", round, s, total)
		}
		total = s
	}
	t.Logf("%d integrations after 3 killed bursts", total)
}

// openCheck opens the file, runs Check and returns how many integrations
// it holds.
func openCheck(t *testing.T, path string) (int, error) {
	s := openStore(t, "sqlite:"+path)
	defer s.Close()
	if err := s.Check(t.Context()); err != nil {
		return 0, err
	}
	list, err := s.Integrations(t.Context())
	return len(list), err
}

// TestHelperBurst is TestCrashConsistency's child process: it activates
// integrations, as the integration Service does, until it is killed.
func TestHelperBurst(t *testing.T) {
	path := os.Getenv(burstEnv)
	if path == "" {
		t.Skip("helper process of TestCrashConsistency")
	}
	ctx := t.Context()
	s := openStore(t, "sqlite:"+path)
	var live []integration.Integration
	for i := 0; ; i++ {
		var in integration.Integration
		err := s.Atomic(ctx, func(ctx context.Context, tx oauth.Store) error {
			itx := tx.(integration.Store)
			in = integration.Integration{Name: fmt.Sprintf("burst %d %d", os.Getpid(), i), Email: "ops@example.com",
				Resources: []string{"Magento_Sales::sales", "Magento_Catalog::products"}, CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if err := itx.CreateIntegration(ctx, &in); err != nil {
				return err
			}
			c := oauth.Consumer{Name: fmt.Sprintf("Integration%d", in.ID), Key: cred(t), Secret: cred(t), CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if err := itx.CreateConsumer(ctx, &c); err != nil {
				return err
			}
			in.ConsumerID = c.ID
			if _, err := oauth.IssueVerifier(ctx, itx, c.ID, nil, time.Now()); err != nil {
				return err
			}
			if _, err := oauth.IssueRequestToken(ctx, itx, c.ID, nil); err != nil {
				return err
			}
			if _, err := oauth.IssueAccessToken(ctx, itx, c.ID, nil); err != nil {
				return err
			}
			in.Status = integration.StatusActive
			if err := itx.UpdateIntegration(ctx, in); err != nil {
				return err
			}
			if err := itx.UseNonce(ctx, c.ID, cred(t), time.Now().Unix()); err != nil {
				return err
			}
			if i%4 == 3 && len(live) > 0 { // delete an older one, as Service.Delete does
				old := live[0]
				if err := itx.DeleteIntegration(ctx, old.ID); err != nil {
					return err
				}
				return itx.DeleteConsumer(ctx, old.ConsumerID)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("burst %d: %v", i, err)
		}
		if i%4 == 3 && len(live) > 0 {
			live = live[1:]
		}
		live = append(live, in)
		if i == 0 {
			fmt.Println("ready")
		}
	}
}
