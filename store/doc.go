// Package store holds the sentinel errors that every magekit storage backend
// returns, and nothing else.
//
// The store interfaces themselves live next to the code that uses them
// ([github.com/magekit/magekit/oauth.Store],
// [github.com/magekit/magekit/integration.Store]); this leaf package lets the
// domain packages and the backends share the sentinels without import cycles,
// as io/fs does with ErrNotExist.
//
// Backends wrap the sentinels with context (fmt.Errorf("...: %w", ErrNotFound));
// callers test with errors.Is.
package store
