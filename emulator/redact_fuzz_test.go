package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzRedact feeds the journal's redaction arbitrary queries, bodies and
// headers: it must not panic, and a value planted under a sensitive name
// must never come out.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "t%6Fken%zz=x", `{"a":{"password":"p"}}`, "<x>password</x>", "%", "=&=&", `OAuth oauth_token="t",a="b"`} {
		f.Add(s, "application/json")
		f.Add(s, "application/x-www-form-urlencoded")
		f.Add(s, "text/plain")
	}
	const planted = "PLANTEDSECRET"
	f.Fuzz(func(t *testing.T, in, contentType string) {
		_ = redactQuery(in)
		_ = redactBaseString(in)
		_ = redactBody(contentType, []byte(in), false)
		_ = redactHeaders(http.Header{"Authorization": {in}, "X": {in}})

		q := in + "&access_token=" + planted
		if out := redactQuery(q); strings.Contains(out, planted) && !strings.Contains(in, planted) {
			t.Fatalf("redactQuery(%q) = %q keeps the token", q, out)
		}
		form := in + "&password=" + planted
		if out := redactBody("application/x-www-form-urlencoded", []byte(form), false); strings.Contains(out, planted) && !strings.Contains(in, planted) {
			t.Fatalf("redactBody(form %q) = %q keeps the password", form, out)
		}
		if out := redactHeaders(http.Header{"Authorization": {"Bearer " + planted}}); strings.Contains(out["Authorization"], planted) {
			t.Fatalf("bearer token kept: %q", out["Authorization"])
		}
	})
}
