package wire

import (
	"strings"
	"testing"
)

// TestDecodeJSON checks that a JSON value comes back as PHP's json_decode
// then json_encode give it back.
func TestDecodeJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"b":1,"a":2}`}, // order kept
		{`{"a":1,"b":2,"a":3}`, `{"a":3,"b":2}`},
		{`{"0":"x","1":"y"}`, `["x","y"]`},
		{`{"1":"x","0":"y"}`, `{"1":"x","0":"y"}`},
		{`{}`, `[]`},
		{`[]`, `[]`},
		{`{"price":3.50,"n":-1e3,"big":12345678901234567890}`, `{"price":3.50,"n":-1e3,"big":12345678901234567890}`},
		{`{"url":"a/b","name":"Café","nil":null,"t":true}`, `{"url":"a\/b","name":"Caf\u00e9","nil":null,"t":true}`},
		{` "x" `, `"x"`},
	} {
		v, err := DecodeJSON([]byte(tc.in))
		if err != nil {
			t.Errorf("DecodeJSON(%s) = %v", tc.in, err)
			continue
		}
		if got := string(AppendJSON(nil, v)); got != tc.want {
			t.Errorf("DecodeJSON(%s) written again = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{``, `{`, `{"a":1}x`, `[1,]`, `{"a"}`, strings.Repeat("[", 513) + strings.Repeat("]", 513)} {
		if _, err := DecodeJSON([]byte(bad)); err == nil {
			t.Errorf("DecodeJSON(%.40s) = nil error", bad)
		}
	}
	if _, err := DecodeJSON([]byte(strings.Repeat("[", 512) + strings.Repeat("]", 512))); err != nil {
		t.Errorf("512 levels: %v", err)
	}
}
