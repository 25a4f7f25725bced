package oauth

import (
	"strings"
	"testing"
)

func TestStoredNonce(t *testing.T) {
	for _, tc := range []struct {
		in, want  string
		truncated bool
	}{
		{"", "", false},
		{"abc", "abc", false},
		{strings.Repeat("a", 32), strings.Repeat("a", 32), false},
		{strings.Repeat("a", 33), strings.Repeat("a", 32), true},
		{strings.Repeat("é", 32), strings.Repeat("é", 32), false},
		{strings.Repeat("é", 40), strings.Repeat("é", 32), true},
		{strings.Repeat("x", 8<<20), strings.Repeat("x", 32), true},
	} {
		got, truncated := storedNonce(tc.in)
		if got != tc.want || truncated != tc.truncated {
			t.Errorf("storedNonce(%.40q) = %.40q, %v; want %.40q, %v", tc.in, got, truncated, tc.want, tc.truncated)
		}
	}
}
