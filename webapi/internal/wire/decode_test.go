package wire

import (
	"errors"
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

// TestAppendXML checks the XML renderer's rules that fixtures reach, as
// Magento 2.4.7's Renderer\Xml and Xml\Generator give them.
func TestAppendXML(t *testing.T) {
	const head = "<?xml version=\"1.0\"?>\n"
	for _, tc := range []struct{ in, want string }{
		// _formatValue no longer escapes '&' itself: DOM escapes it once.
		{`{"name":"A & B <c>"}`, head + "<response>\n  <name>A &amp; B &lt;c&gt;</name>\n</response>\n"},
		// Keys that are all digits, joined, make a list: items.
		{`{"1":"a","3":"b"}`, head + "<response>\n  <item>a</item>\n  <item>b</item>\n</response>\n"},
		{`{"1":"a","x":"b"}`, head + "<response>\n  <item_1>a</item_1>\n  <x>b</x>\n</response>\n"},
		// Keys cleaned alike are one element: the first place, the last value.
		{`{"a!":"1","b":"2","a":"3"}`, head + "<response>\n  <a>3</a>\n  <b>2</b>\n</response>\n"},
		{`{"n":null,"t":true,"p":3.50}`, head + "<response>\n  <n></n>\n  <t>true</t>\n  <p>3.50</p>\n</response>\n"},
	} {
		v, err := DecodeJSON([]byte(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckXML(v); err != nil {
			t.Errorf("CheckXML(%s) = %v", tc.in, err)
		}
		if got := string(AppendXML(nil, v)); got != tc.want {
			t.Errorf("AppendXML(%s) =\n%s\nwant\n%s", tc.in, got, tc.want)
		}
	}
	// Keys DOMDocument::createElement refuses once cleaned.
	for _, in := range []string{`{"":1}`, `{"!!":1}`, `{"é":1}`, `{"a":{"é1":1}}`, `{"l":[{"é-x":1}]}`} {
		v, err := DecodeJSON([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckXML(v); !errors.Is(err, ErrXMLName) {
			t.Errorf("CheckXML(%s) = %v, want ErrXMLName", in, err)
		}
	}
}
