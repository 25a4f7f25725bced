package webapi

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/magekit/magekit/magerr"
)

// FuzzDecodeBody feeds the JSON and XML body decoders arbitrary bodies: no
// panic; an error is always a Magento error (a 400, never a 500); a JSON
// body the bounds refuse is never decoded; and a JSON body that decodes
// is UTF-8, as PHP's json_decode requires.
func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,2,3]`, `"x"`, `{"a":{"b":[{"c":"\""}]}}`, `[[[[[[`, `<a><b>1</b><b>2</b></a>`, `<a>`, "\xff", ``,
		`"\ud800"`, `"\udc00"`, `"\ud83d\ude00"`, `"\\ud800"`, "\"\xed\xa0\x80\"", `"\ud800\u0041"`, `"\ud800\`} {
		f.Add("application/json", []byte(s))
		f.Add("application/xml", []byte(s))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		params, err := decodeBody(contentType, body)
		if err != nil {
			var me *magerr.Error
			if !errors.As(err, &me) || me.Status() >= 500 {
				t.Fatalf("decodeBody(%q, %q) = %v, want a 4xx Magento error", contentType, body, err)
			}
			return
		}
		if contentType == "application/json" && len(body) > 0 && !utf8.Valid(body) {
			t.Fatalf("a JSON body that is not UTF-8 was decoded: %q", body)
		}
		if checkJSONBounds(body) != nil && contentType == "application/json" && params != nil {
			t.Fatalf("a body past the bounds was decoded: %q", body)
		}
	})
}
