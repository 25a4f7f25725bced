package lockout

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/magekit/magekit/user"
)

// TestKeyBounded checks that a key keeps at most 255 characters of the
// name, as Magento's column does, so that long names share one row.
func TestKeyBounded(t *testing.T) {
	long := strings.Repeat("é", 300)
	a, b := NewKey(user.Admin, long), NewKey(user.Admin, long+"different tail")
	if a != b {
		t.Error("names equal in their first 255 characters give different keys")
	}
	if n := utf8.RuneCountInString(a.name); n != 255 {
		t.Errorf("key keeps %d characters, want 255", n)
	}
	if k := NewKey(user.Admin, strings.Repeat("x", 1<<20)); len(k.name) != 255 {
		t.Errorf("a 1 MB name keeps %d bytes", len(k.name))
	}
}
