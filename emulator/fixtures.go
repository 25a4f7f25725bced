package emulator

import (
	"fmt"
	"io"
	"io/fs"
	"slices"

	"github.com/magekit/magekit/emulator/fixture"
)

// LoadFixtures sets the fixtures of every *.json file at the root of fsys,
// in sorted name order (a later file's fixture for a route replaces an
// earlier one with the same id or match), and returns how many it set. Every file is read and checked
// before any fixture is set, so an error (naming the file) sets none.
func (e *Emulator) LoadFixtures(fsys fs.FS) (int, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return 0, fmt.Errorf("emulator: fixtures: %w", err)
	}
	slices.Sort(names)
	var all []fixture.Fixture
	for _, name := range names {
		data, err := readLimited(fsys, name, fixture.MaxFile)
		if err != nil {
			return 0, err
		}
		fixtures, err := fixture.Parse(data)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		for _, f := range fixtures {
			if err := e.checkFixtureRoute(f.Method, f.URL); err != nil {
				return 0, fmt.Errorf("%s: emulator: %w", name, err)
			}
		}
		all = append(all, fixtures...)
	}
	for _, f := range all {
		if _, err := e.PutFixture(f); err != nil {
			return 0, fmt.Errorf("emulator: fixture %s %s: %w", f.Method, f.URL, err)
		}
	}
	return len(all), nil
}

// readLimited reads a file of fsys, refusing one larger than limit.
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("emulator: fixtures: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("emulator: fixtures: %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("emulator: fixtures: %s is larger than %d bytes", name, limit)
	}
	return data, nil
}
