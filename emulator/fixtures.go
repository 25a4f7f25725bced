package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
)

// maxFixtureFile bounds one fixture file.
const maxFixtureFile = 8 << 20

// ParseFixtures reads the fixtures of one fixture file: either one object
// {"fixture": {...}}, or a JSON array whose elements are such objects or
// bare fixture objects (see [Fixture]; unknown fields are refused). It
// checks their shape, not their routes: [Emulator.PutFixture] does.
func ParseFixtures(data []byte) ([]Fixture, error) {
	data = bytes.TrimSpace(data)
	var docs []json.RawMessage
	if bytes.HasPrefix(data, []byte("[")) {
		if err := json.Unmarshal(data, &docs); err != nil {
			return nil, fmt.Errorf("emulator: fixtures: %w", err)
		}
	} else {
		docs = []json.RawMessage{data}
	}
	out := make([]Fixture, 0, len(docs))
	for i, doc := range docs {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(doc, &obj); err != nil {
			return nil, fmt.Errorf("emulator: fixture %d: want a JSON object: %w", i, err)
		}
		if inner, ok := obj["fixture"]; ok && len(obj) == 1 {
			doc = inner
		}
		f, err := DecodeFixture(doc)
		if err != nil {
			return nil, fmt.Errorf("emulator: fixture %d: %w", i, err)
		}
		out = append(out, f)
	}
	return out, nil
}

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
	var all []Fixture
	for _, name := range names {
		data, err := readLimited(fsys, name, maxFixtureFile)
		if err != nil {
			return 0, err
		}
		fixtures, err := ParseFixtures(data)
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
