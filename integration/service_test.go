package integration_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/store/memstore"
)

var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newService(t *testing.T, c integration.Config) (*integration.Service, *memstore.Store) {
	t.Helper()
	s, err := memstore.New()
	if err != nil {
		t.Fatal(err)
	}
	if c.Now == nil {
		c.Now = func() time.Time { return fixedNow }
	}
	return integration.NewService(s, c), s
}

// wantMagerr fails unless err is a *magerr.Error with the template and
// status given.
func wantMagerr(t *testing.T, err error, template string, status int) *magerr.Error {
	t.Helper()
	var me *magerr.Error
	if !errors.As(err, &me) {
		t.Fatalf("error = %v (%T), want *magerr.Error %q", err, err, template)
	}
	if me.Message != template || me.Status() != status {
		t.Fatalf("error = %q (status %d), want %q (status %d)", me.Message, me.Status(), template, status)
	}
	return me
}

// wantIs fails unless errors.Is(err, sentinel) holds, err has the
// sentinel's status, and its parameters are params, in order. It returns
// the *magerr.Error.
func wantIs(t *testing.T, err error, sentinel *magerr.Error, params ...string) *magerr.Error {
	t.Helper()
	var me *magerr.Error
	if !errors.Is(err, sentinel) || !errors.As(err, &me) {
		t.Fatalf("error = %v (%T), want errors.Is %q", err, err, sentinel.Message)
	}
	if me.Status() != sentinel.Status() {
		t.Fatalf("error %q has status %d, want %d", me.Message, me.Status(), sentinel.Status())
	}
	var got []string
	for _, p := range me.Params {
		got = append(got, p.Value)
	}
	if !slices.Equal(got, params) {
		t.Fatalf("error %q has parameters %q, want %q", me.Message, got, params)
	}
	return me
}

func TestCreateValidation(t *testing.T) {
	long := strings.Repeat("n", 256)
	tests := []struct {
		name string
		in   integration.Integration
		want string // template; "" for success
	}{
		{"minimal", integration.Integration{Name: "ERP"}, ""},
		{"full", integration.Integration{Name: "ERP", Email: "ops@acme.example", Endpoint: "https://acme.example/cb",
			IdentityLinkURL: "http://acme.example/link", Resources: []string{"Magento_Catalog::products"}}, ""},
		{"all resources", integration.Integration{Name: "ERP", AllResources: true}, ""},
		{"custom all", integration.Integration{Name: "ERP", Resources: []string{"Magento_Backend::all"}}, ""},
		{"no name", integration.Integration{}, magerr.RequiredMessage},
		{"blank name", integration.Integration{Name: "  "}, magerr.RequiredMessage},
		{"long name", integration.Integration{Name: long}, integration.MsgTooLong},
		// Limits count characters, not bytes: 255 two-byte characters fit.
		{"255 characters of two bytes", integration.Integration{Name: strings.Repeat("é", 255)}, ""},
		{"256 characters of two bytes", integration.Integration{Name: strings.Repeat("é", 256)}, integration.MsgTooLong},
		{"name not UTF-8", integration.Integration{Name: "ERP\xff"}, integration.MsgInvalidText},
		{"endpoint not UTF-8", integration.Integration{Name: "x", Endpoint: "https://x.example/\xff"}, integration.MsgInvalidText},
		{"identity link not UTF-8", integration.Integration{Name: "x", IdentityLinkURL: "https://x.example/\xff"}, integration.MsgInvalidText},
		{"email not UTF-8", integration.Integration{Name: "x", Email: "a\xff@b.c"}, integration.MsgInvalidText},
		{"bad email", integration.Integration{Name: "x", Email: "nope"}, integration.MsgInvalidEmail},
		{"email no dot", integration.Integration{Name: "x", Email: "a@b"}, integration.MsgInvalidEmail},
		{"email display name", integration.Integration{Name: "x", Email: "A <a@b.c>"}, integration.MsgInvalidEmail},
		{"relative endpoint", integration.Integration{Name: "x", Endpoint: "/cb"}, integration.MsgInvalidEndpoint},
		{"ftp endpoint", integration.Integration{Name: "x", Endpoint: "ftp://a.example/cb"}, integration.MsgInvalidEndpoint},
		{"bad identity link", integration.Integration{Name: "x", IdentityLinkURL: "javascript:alert(1)"}, integration.MsgInvalidLink},
		{"unknown resource", integration.Integration{Name: "x", Resources: []string{"Acme_Nope::x"}}, integration.MsgUnknownResource},
		{"two failures", integration.Integration{Email: "nope"}, magerr.AggregateMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, s := newService(t, integration.Config{})
			ctx := t.Context()
			got, err := svc.Create(ctx, tt.in)
			if tt.want != "" {
				wantMagerr(t, err, tt.want, 400)
				if list, _ := s.Integrations(ctx); len(list) != 0 {
					t.Fatalf("Create(%q) failed but stored %v", tt.in.Name, list)
				}
				return
			}
			if err != nil {
				t.Fatalf("Create(%q) = %v", tt.in.Name, err)
			}
			if got.ID <= 0 || got.ConsumerID <= 0 || got.Status != integration.StatusInactive || !got.CreatedAt.Equal(fixedNow) {
				t.Fatalf("Create(%q) = %+v", tt.in.Name, got)
			}
			c, err := s.Consumer(ctx, got.ConsumerID)
			if err != nil {
				t.Fatal(err)
			}
			if want := "Integration" + strconv.FormatInt(got.ID, 10); c.Name != want || !oauth.ValidCredential(c.Key) || !oauth.ValidCredential(c.Secret) {
				t.Fatalf("consumer = %q key ok %v secret ok %v, want name %q", c.Name, oauth.ValidCredential(c.Key), oauth.ValidCredential(c.Secret), want)
			}
			read, err := svc.Get(ctx, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, read); diff != "" {
				t.Fatalf("Get after Create (-created +read):\n%s", diff)
			}
		})
	}
}

func TestDuplicateName(t *testing.T) {
	svc, _ := newService(t, integration.Config{})
	ctx := t.Context()
	if _, err := svc.Create(ctx, integration.Integration{Name: "ERP"}); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Create(ctx, integration.Integration{Name: "ERP"})
	wantIs(t, err, integration.ErrNameExists, "ERP")
}

func TestConcurrentCreateOneWinner(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	const n = 32
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
		wins  int
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := svc.Create(ctx, integration.Integration{Name: "Same"})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
				return
			}
			if !errors.Is(err, integration.ErrNameExists) {
				t.Errorf("Create = %v, want %q", err, integration.MsgNameExists)
			}
		}()
	}
	close(start)
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d of %d concurrent creates won, want 1", wins, n)
	}
	if list, _ := s.Integrations(ctx); len(list) != 1 {
		t.Fatalf("stored %d integrations, want 1", len(list))
	}
}

func TestUpdate(t *testing.T) {
	svc, _ := newService(t, integration.Config{})
	ctx := t.Context()
	a, err := svc.Create(ctx, integration.Integration{Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, integration.Integration{Name: "B"}); err != nil {
		t.Fatal(err)
	}
	a.Name, a.Email, a.AllResources = "A2", "a@b.example", true
	a.Status = integration.StatusActive // ignored
	got, err := svc.Update(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "A2" || got.Email != "a@b.example" || !got.AllResources || got.Status != integration.StatusInactive {
		t.Fatalf("Update = %+v", got)
	}
	a.Name = "B"
	_, err = svc.Update(ctx, a)
	wantIs(t, err, integration.ErrNameExists, "B")
	a.ID = 999
	_, err = svc.Update(ctx, a)
	wantIs(t, err, integration.ErrNotFound, "999")
	if read, _ := svc.Get(ctx, got.ID); read.Name != "A2" {
		t.Fatalf("failed updates changed the integration: %+v", read)
	}
}

func TestConfigIntegrationsRefuseEditAndDelete(t *testing.T) {
	svc, _ := newService(t, integration.Config{})
	ctx := t.Context()
	in, err := svc.Create(ctx, integration.Integration{Name: "FromXML", SetupType: integration.SetupConfig})
	if err != nil {
		t.Fatal(err)
	}
	in.Email = "x@y.example"
	_, err = svc.Update(ctx, in)
	wantIs(t, err, integration.ErrConfigEdit)
	_, err = svc.Delete(ctx, in.ID)
	wantIs(t, err, integration.ErrConfigDelete, "FromXML")
}

func TestDeleteCascades(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", AllResources: true})
	if err != nil {
		t.Fatal(err)
	}
	act, err := svc.Activate(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, in.ConsumerID, "n1", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Delete(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Integration(ctx, in.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("integration after delete: %v", err)
	}
	if _, err := s.ConsumerByKey(ctx, act.ConsumerKey); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("consumer after delete: %v", err)
	}
	if _, err := s.TokenByValue(ctx, act.Credentials.AccessToken); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("token after delete: %v", err)
	}
	// The nonce went with its consumer: the store answers for the consumer
	// (not found), not for a nonce it still remembers (exists).
	if err := s.UseNonce(ctx, in.ConsumerID, "n1", 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UseNonce(deleted consumer, its old nonce) = %v, want ErrNotFound", err)
	}
	_, err = svc.Delete(ctx, in.ID)
	wantIs(t, err, integration.ErrNotFound, strconv.FormatInt(in.ID, 10))
	_, err = svc.Delete(ctx, 0)
	wantMagerr(t, err, integration.MsgInvalidID, 400)
}

func TestNotSecure(t *testing.T) {
	tests := []struct {
		endpoint, link string
		want           bool
	}{
		{"", "", false},
		{"https://a.example", "https://b.example", false},
		{"http://a.example", "", true},
		{"", "http://b.example", true},
		{"HTTP://a.example", "", false},
		{"/relative", "", false},
	}
	for _, tt := range tests {
		in := integration.Integration{Endpoint: tt.endpoint, IdentityLinkURL: tt.link}
		if got := in.NotSecure(); got != tt.want {
			t.Errorf("NotSecure(%q, %q) = %v, want %v", tt.endpoint, tt.link, got, tt.want)
		}
	}
}

func TestCreateWithCredentials(t *testing.T) {
	svc, _ := newService(t, integration.Config{})
	ctx := t.Context()
	creds := integration.Credentials{
		ConsumerKey:       strings.Repeat("a", 32),
		ConsumerSecret:    strings.Repeat("b", 32),
		AccessToken:       strings.Repeat("c", 32),
		AccessTokenSecret: strings.Repeat("d", 32),
	}
	in, err := svc.CreateWithCredentials(ctx, integration.Integration{Name: "Fixed", AllResources: true}, creds)
	if err != nil {
		t.Fatal(err)
	}
	if in.Status != integration.StatusActive {
		t.Fatalf("status = %v, want Active", in.Status)
	}
	got, err := svc.Credentials(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(creds, got); diff != "" {
		t.Fatalf("Credentials (-want +got):\n%s", diff)
	}
	_, err = svc.CreateWithCredentials(ctx, integration.Integration{Name: "Bad"}, integration.Credentials{ConsumerKey: "short"})
	wantMagerr(t, err, magerr.AggregateMessage, 400)
}

func TestReset(t *testing.T) {
	svc, s := newService(t, integration.Config{})
	ctx := t.Context()
	a, err := svc.Create(ctx, integration.Integration{Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, integration.Integration{Name: "B", SetupType: integration.SetupConfig}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Integrations(ctx); len(list) != 0 {
		t.Fatalf("after Reset: %d integrations", len(list))
	}
	if _, err := s.Consumer(ctx, a.ConsumerID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("consumer after Reset: %v", err)
	}
}
