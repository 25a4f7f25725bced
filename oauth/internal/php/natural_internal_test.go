package php

import "testing"

// slowStrnatcmp is strnatcmp without the common-prefix shortcut: PHP's
// algorithm as written.
func slowStrnatcmp(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return cmpInt(len(a), len(b))
	}
	ai, bi := 0, 0
	for a[ai] == '0' && ai+1 < len(a) && isDigit(a[ai+1]) {
		ai++
	}
	for b[bi] == '0' && bi+1 < len(b) && isDigit(b[bi+1]) {
		bi++
	}
	return strnatcmpFrom(a, b, ai, bi)
}

func TestStrnatcmp(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"img12.png", "img10.png", 1},
		{"img2", "img10", -1},
		{"a01", "a1", -1},
		{"x2-g8", "x2-y7", -1},
		{"1.010", "1.02", -1},
		{"0001", "1", 0},
		{"abc", "abcd", -1},
		{"", "a", -1},
		{"a b", "a  b", 0},
		{"f%5B2%5D", "f%5B10%5D", -1},
		{"searchCriteria%5BfilterGroups%5D%5B11%5D", "searchCriteria%5BfilterGroups%5D%5B9%5D", 1},
		{"x09", "x9", -1},
		{"x100", "x99", 1},
	}
	for _, tc := range cases {
		if got := Strnatcmp([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("Strnatcmp(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := slowStrnatcmp([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("slowStrnatcmp(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// FuzzStrnatcmp checks that the common-prefix shortcut never changes the
// answer.
func FuzzStrnatcmp(f *testing.F) {
	f.Add("searchCriteria%5BfilterGroups%5D%5B10%5D", "searchCriteria%5BfilterGroups%5D%5B2%5D")
	f.Add("a 01 b", "a 1 c")
	f.Add("x0012", "x012")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := Strnatcmp([]byte(a), []byte(b)), slowStrnatcmp([]byte(a), []byte(b)); got != want {
			t.Fatalf("Strnatcmp(%q, %q) = %d, the full walk says %d", a, b, got, want)
		}
	})
}
