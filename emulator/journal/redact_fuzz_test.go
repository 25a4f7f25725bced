package journal

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzRedact feeds the journal's redaction arbitrary queries, base
// strings, bodies, headers and paths: it must not panic, and a value
// planted under a sensitive name must never come out.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "t%6Fken%zz=x", `{"a":{"password":"p"}}`, "<x>password</x>", "%", "=&=&",
		`OAuth oauth_token="t",a="b"`, `realm="x,`, `"a,b"`, "GET&http%3A%2F%2Fh%2Fx&a%3D1", `{"t\u006fken":1}`} {
		f.Add(s, "application/json")
		f.Add(s, "application/x-www-form-urlencoded")
		f.Add(s, "text/plain")
	}
	const planted = "PLANTEDSECRET"
	const reset = "/V1/customers/:customerId/password/resetLinkToken/:resetPasswordLinkToken"
	f.Fuzz(func(t *testing.T, in, contentType string) {
		_ = redactQuery(in)
		_ = redactBaseString(in, "")
		_ = redactBaseString(in, reset)
		_ = redactBody(contentType, []byte(in), false)
		_ = redactBody(contentType, []byte(in), true)
		_ = redactHeaders(http.Header{"Authorization": {in}, "X": {in}})
		_ = redactPath(in, reset)
		if strings.Contains(in, planted) {
			return
		}
		keeps := func(what, out string) {
			if strings.Contains(out, planted) {
				t.Fatalf("%s keeps the secret: %q", what, out)
			}
		}
		keeps("query", redactQuery(in+"&access_token="+planted))
		keeps("form", redactBody("application/x-www-form-urlencoded", []byte(in+"&password="+planted), false))
		keeps("bearer", redactHeaders(http.Header{"Authorization": {"Bearer " + planted}})["Authorization"])
		// A secret value in an OAuth header, whatever surrounds it.
		keeps("OAuth header", redactAuthorization(`OAuth `+in+`,oauth_signature="`+planted+`"`))
		keeps("OAuth header with a comma", redactAuthorization(`OAuth oauth_token="`+in+`,`+planted+`"`))
		keeps("OAuth header after a value", redactAuthorization(`OAuth realm="`+in+`,oauth_verifier=`+planted))
		keeps("reset path", redactPath(in+"/rest/V1/customers/1/password/resetLinkToken/"+planted, reset))
		// A body with a sensitive key that is not parsed is withheld.
		keeps("text body", redactBody("text/plain", []byte(in+`password=`+planted), false))
		keeps("cut body", redactBody(contentType, []byte(in+`"password":"`+planted), true))
	})
}
