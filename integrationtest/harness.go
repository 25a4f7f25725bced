package integrationtest

import (
	"fmt"
	"io/fs"
	"os"
	"testing"

	"github.com/magekit/magekit/emulator/fixture"

	"github.com/magekit/magekit/emulator"
)

// WithSeedFile reads the seed file at path (see [emulator.ParseSeed]) and
// applies it as [WithSeed] does; NewServer fails the test, naming the
// entry, when the file is bad.
func WithSeedFile(path string) Option {
	return func(s *setup) {
		data, err := os.ReadFile(path)
		if err != nil {
			s.err = fmt.Errorf("seed file: %w", err)
			return
		}
		seed, err := emulator.ParseSeed(data)
		if err != nil {
			s.err = fmt.Errorf("seed file %s: %w", path, err)
			return
		}
		WithSeed(seed)(s)
	}
}

// WithExtensions serves the REST routes and ACL resources of the Magento
// modules in fsys (their */etc/webapi.xml and */etc/acl.xml, see
// [emulator.LoadExtensions]) beside the core ones, as the emulator's
// -webapi DIR does; NewServer fails the test, naming the file and line,
// when one is bad.
func WithExtensions(fsys fs.FS) Option {
	return func(s *setup) {
		ext, err := emulator.LoadExtensions(fsys)
		if err != nil {
			s.err = err
			return
		}
		s.cfg.Extensions = ext
	}
}

// WithoutJournalBodies keeps request headers and bodies out of the
// journal, as -journal-bodies=false does.
func WithoutJournalBodies() Option {
	return func(s *setup) { s.cfg.NoJournalBodies = true }
}

// PutFixture adds f, a fixture of the emulator's full shape (match,
// sequence, scenario), and returns it as stored, with its id.
func (s *Server) PutFixture(t testing.TB, f fixture.Fixture) fixture.Fixture {
	t.Helper()
	out, err := s.Emulator.PutFixture(f)
	if err != nil {
		t.Fatalf("integrationtest: fixture %s %s: %v", f.Method, f.URL, err)
	}
	return out
}

// Fixtures returns every fixture, in the order they were set.
func (s *Server) Fixtures() []fixture.Fixture { return s.Emulator.Fixtures() }

// DeleteFixture removes the fixture id.
func (s *Server) DeleteFixture(t testing.TB, id string) {
	t.Helper()
	if err := s.Emulator.DeleteFixture(id); err != nil {
		t.Fatalf("integrationtest: delete fixture %s: %v", id, err)
	}
}

// Scenarios returns the scenario states that fixtures moved; the other
// scenarios are in "Started".
func (s *Server) Scenarios() map[string]string { return s.Emulator.Scenarios() }

// SetScenarios sets scenario states, for a test that starts mid-story.
func (s *Server) SetScenarios(states map[string]string) { s.Emulator.SetScenarios(states) }
