package store

import "errors"

var (
	// ErrNotFound reports that no record matches the lookup. Backends never
	// answer a missing record with a zero value and a nil error.
	ErrNotFound = errors.New("store: not found")

	// ErrExists reports that a write would break a uniqueness rule: an
	// integration name, a consumer key or secret, a token value, a nonce per
	// consumer, or a second token row for one consumer.
	ErrExists = errors.New("store: already exists")

	// ErrConflict reports that a compare-and-set write found the record in
	// another state than the caller expected (for example a request token
	// that a concurrent exchange already turned into an access token).
	ErrConflict = errors.New("store: conflict")
)
