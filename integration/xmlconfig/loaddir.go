package xmlconfig

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
)

// Where [LoadDir] looks: the files at the root; the etc/ of a module at the
// root; a module's etc/ (Acme_Sync/etc/integration.xml); a vendor's
// module's etc/ (Acme/Sync/etc/integration.xml, the app/code layout).
var (
	consolidatedPatterns = []string{"integration.xml", "etc/integration.xml", "*/etc/integration.xml", "*/*/etc/integration.xml"}
	legacyConfigPatterns = []string{"config.xml", "etc/integration/config.xml", "*/etc/integration/config.xml", "*/*/etc/integration/config.xml"}
	legacyAPIPatterns    = []string{"api.xml", "etc/integration/api.xml", "*/etc/integration/api.xml", "*/*/etc/integration/api.xml"}
)

// LoadDir finds the integration XML files in fsys, reads them in sorted
// path order and parses them with [ParseConsolidated] and [ParseLegacy].
// It looks for integration.xml, config.xml and api.xml at the root of fsys,
// and for etc/integration.xml, etc/integration/config.xml and
// etc/integration/api.xml in fsys itself (a module), in each directory
// below it (MODULE/etc/..., a directory of modules) and two levels down
// (VENDOR/MODULE/etc/..., the app/code layout). Error messages name the
// paths in fsys.
//
// A file larger than [MaxSize] is refused without being read whole.
// Read failures and every violation are joined into the error, and then
// no integrations are returned. A tree without any of these files gives
// none and no error. LoadDir is safe for concurrent use if fsys is.
func LoadDir(fsys fs.FS) (consolidated, legacy []Integration, err error) {
	var errs []error
	read := func(patterns []string) []File {
		var paths []string
		for _, p := range patterns {
			m, err := fs.Glob(fsys, p)
			if err != nil {
				errs = append(errs, fmt.Errorf("integration: glob %s: %w", p, err))
				continue
			}
			paths = append(paths, m...)
		}
		slices.Sort(paths)
		var files []File
		for _, p := range slices.Compact(paths) {
			data, err := readLimited(fsys, p)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			files = append(files, File{Name: p, Data: data})
		}
		return files
	}
	cfiles := read(consolidatedPatterns)
	lconfig := read(legacyConfigPatterns)
	lapi := read(legacyAPIPatterns)
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	consolidated, cerr := ParseConsolidated(cfiles...)
	legacy, lerr := ParseLegacy(lconfig, lapi)
	if err := errors.Join(cerr, lerr); err != nil {
		return nil, nil, err
	}
	return consolidated, legacy, nil
}

// readLimited reads the file at path, refusing one larger than
// MaxSize without reading more than one byte past the limit.
func readLimited(fsys fs.FS, path string) ([]byte, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, fmt.Errorf("integration: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("integration: read %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, &Error{File: path, Rule: fmt.Sprintf("file is larger than the limit of %d bytes", MaxSize)}
	}
	return data, nil
}
