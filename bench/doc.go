// Package bench compares magekit's OAuth 1.0a verification with other Go
// verifiers on the same signed request. It is a module of its own so that
// the library's go.mod gains no dependency; run it with
//
//	cd bench && go test -run '^$' -bench . -benchmem
//
// The benchmarks report each verifier's time per request and its ratio to
// magekit's, measured in the same run.
package bench
