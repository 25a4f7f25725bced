package acl

import (
	"strings"
	"testing"
)

// The embedded tree cannot be broken at run time, so parseJSON's error
// paths are tested here, with inputs that Default never sees.
func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"malformed", `{"resources": [`, "unexpected end"},
		{"no resources", `{"resources": []}`, "no resources"},
		{"empty id", `{"resources": [{"id": ""}]}`, `""`},
		{"repeated id", `{"resources": [{"id": "A_B::a", "children": [{"id": "A_B::a"}]}]}`, `"A_B::a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := parseJSON([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseJSON(%q) = %v, %v, want error containing %q", tt.data, tree, err, tt.want)
			}
		})
	}
}
