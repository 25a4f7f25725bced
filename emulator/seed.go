package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/settings"
)

// MaxSeedFile bounds a seed file.
const MaxSeedFile = 8 << 20

// Seed is the content of a seed file (-seed FILE): what a harness wants
// in the emulator before its first call, so that a suite in any language
// needs no admin-token dance. Its JSON shape:
//
//	{"store_codes": ["default", "b2b"], "two_factor": false, "unmatched": "error",
//	 "config": {"oauth/consumer/enable_integration_as_bearer": "1"},
//	 "integrations": [{"name": "ERP", "email": "", "endpoint": "", "identity_link_url": "",
//	                   "all_resources": true, "resources": [],
//	                   "credentials": {"consumer_key": "...", "consumer_secret": "...",
//	                                   "access_token": "...", "access_token_secret": "..."}}],
//	 "fixtures": [{"method": "GET", "url": "/V1/products/:sku", "body": {...}}]}
//
// Every key is optional and unknown keys are refused. StoreCodes,
// TwoFactor and Unmatched are start options ([Seed.Configure]); the rest
// is applied to a running emulator ([Emulator.ApplySeed]).
type Seed struct {
	StoreCodes   []string          `json:"store_codes,omitempty"`
	TwoFactor    bool              `json:"two_factor,omitempty"`
	Unmatched    string            `json:"unmatched,omitempty"`
	Config       map[string]string `json:"config,omitempty"`
	Integrations []SeedIntegration `json:"integrations,omitempty"`
	Fixtures     []json.RawMessage `json:"fixtures,omitempty"`
}

// SeedIntegration is an integration of a seed file: created Inactive, or
// Active with exactly Credentials when they are given (each 32 characters
// of [0-9a-z]).
type SeedIntegration struct {
	Name            string           `json:"name"`
	Email           string           `json:"email,omitempty"`
	Endpoint        string           `json:"endpoint,omitempty"`
	IdentityLinkURL string           `json:"identity_link_url,omitempty"`
	AllResources    bool             `json:"all_resources,omitempty"`
	Resources       []string         `json:"resources,omitempty"`
	Credentials     *SeedCredentials `json:"credentials,omitempty"`
}

// SeedCredentials are the four fixed credentials of an Active seed
// integration.
type SeedCredentials struct {
	ConsumerKey       string `json:"consumer_key"`
	ConsumerSecret    string `json:"consumer_secret"`
	AccessToken       string `json:"access_token"`
	AccessTokenSecret string `json:"access_token_secret"`
}

// credentials converts c.
func (c *SeedCredentials) credentials() integration.Credentials {
	return integration.Credentials{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret,
		AccessToken: c.AccessToken, AccessTokenSecret: c.AccessTokenSecret}
}

// ParseSeed reads a seed file strictly: an unknown key, a malformed value
// or a fixture that is not a valid [fixture.Fixture] is an error naming where it
// is ("integrations[1].credentials: unknown field ...").
func ParseSeed(data []byte) (Seed, error) {
	if len(data) > MaxSeedFile {
		return Seed{}, fmt.Errorf("emulator: seed: larger than %d bytes", MaxSeedFile)
	}
	var s Seed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("emulator: seed: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Seed{}, errors.New("emulator: seed: text after the seed object")
	}
	switch s.Unmatched {
	case "", UnmatchedNote, UnmatchedError:
	default:
		return Seed{}, fmt.Errorf("emulator: seed: unmatched %q: want %q or %q", s.Unmatched, UnmatchedNote, UnmatchedError)
	}
	for i, in := range s.Integrations {
		if in.Name == "" {
			return Seed{}, fmt.Errorf("emulator: seed: integrations[%d]: name is required", i)
		}
	}
	for i, raw := range s.Fixtures {
		if _, err := fixture.Decode(raw); err != nil {
			return Seed{}, fmt.Errorf("emulator: seed: fixtures[%d]: %w", i, err)
		}
	}
	return s, nil
}

// Configure applies the seed's start options to c: store codes, the
// two-factor mode and the unmatched mode, where the seed sets them.
func (s Seed) Configure(c *Config) {
	if len(s.StoreCodes) > 0 {
		c.StoreCodes = slices.Clone(s.StoreCodes)
	}
	if s.TwoFactor {
		c.TwoFactor = true
	}
	if s.Unmatched != "" {
		c.Unmatched = s.Unmatched
	}
}

// ApplySeed sets the seed's config, creates its integrations and adds its
// fixtures, in that order, stopping at the first error, which names the
// entry. An integration whose name exists already is left alone when the
// seed describes it exactly (with the same credentials, when given), so
// that a setup script can run twice; otherwise the answer is Magento's
// "The integration with name ... exists." error.
func (e *Emulator) ApplySeed(ctx context.Context, s Seed) error {
	if len(s.Config) > 0 {
		for path := range s.Config {
			if !e.freeConfig && !settings.Known(path) {
				return fmt.Errorf("emulator: seed: config %q: not a path the emulator knows (-free-config allows any)", path)
			}
		}
		if err := e.stack.Settings.Set(s.Config); err != nil {
			return fmt.Errorf("emulator: seed: config: %w", err)
		}
	}
	for i, si := range s.Integrations {
		if err := e.seedIntegration(ctx, si); err != nil {
			return fmt.Errorf("emulator: seed: integrations[%d] (%q): %w", i, si.Name, err)
		}
	}
	for i, raw := range s.Fixtures {
		f, err := fixture.Decode(raw)
		if err == nil {
			_, err = e.PutFixture(f)
		}
		if err != nil {
			return fmt.Errorf("emulator: seed: fixtures[%d]: %w", i, err)
		}
	}
	return nil
}

// seedIntegration creates si, or accepts an identical existing one.
func (e *Emulator) seedIntegration(ctx context.Context, si SeedIntegration) error {
	svc := e.stack.Service
	want := integration.Integration{Name: si.Name, Email: si.Email, Endpoint: si.Endpoint,
		IdentityLinkURL: si.IdentityLinkURL, AllResources: si.AllResources, Resources: si.Resources}
	cur, err := svc.ByName(ctx, si.Name)
	if err == nil {
		if e.sameSeedIntegration(ctx, cur, si) {
			return nil
		}
		return magerr.New(magerr.Input, integration.MsgNameExists, si.Name)
	}
	if si.Credentials != nil {
		_, err = svc.CreateWithCredentials(ctx, want, si.Credentials.credentials())
	} else {
		_, err = svc.Create(ctx, want)
	}
	return err
}

// sameSeedIntegration reports whether cur is what si describes.
func (e *Emulator) sameSeedIntegration(ctx context.Context, cur integration.Integration, si SeedIntegration) bool {
	if cur.Email != si.Email || cur.Endpoint != si.Endpoint || cur.IdentityLinkURL != si.IdentityLinkURL ||
		cur.AllResources != si.AllResources {
		return false
	}
	if !si.AllResources {
		a, b := slices.Clone(cur.Resources), slices.Clone(si.Resources)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(slices.Compact(a), slices.Compact(b)) {
			return false
		}
	}
	if si.Credentials == nil {
		return true
	}
	c, err := e.stack.Service.Credentials(ctx, cur.ID)
	return err == nil && c == si.Credentials.credentials()
}
