// Package tour holds the test that runs the README's five-minute tour: the
// shell blocks of its "Five-minute tour" section, as written, in one bash
// process, against the real emulator and the Go and Python third parties.
// It fails when a command of the tour stops working or stops printing what
// the README says it prints.
package tour
