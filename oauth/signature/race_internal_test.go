//go:build race

package signature

// raceEnabled reports a -race build, where escape analysis keeps fewer
// values on the stack, so allocation counts are not the real ones.
const raceEnabled = true
