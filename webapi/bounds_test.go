package webapi_test

import (
	"runtime"
	"strings"
	"testing"
)

// TestHostileBodies sends 8 MB bodies built to amplify when decoded, to
// an anonymous route: each is refused with Magento's decoding error, and
// what serving it allocates stays a small multiple of its size, where
// decoding it whole took hundreds of megabytes.
func TestHostileBodies(t *testing.T) {
	e := newEnv(t, nil)
	const size = 8 << 20
	for _, tc := range []struct{ name, contentType, body string }{
		{"xml of empty elements", "application/xml", "<a>" + strings.Repeat("<b/>", (size-7)/4) + "</a>"},
		{"json array of zeros", "application/json", "[" + strings.Repeat("0,", size/2-1) + "0]"},
		{"json deep nesting", "application/json", strings.Repeat("[", 600) + strings.Repeat("]", 600)},
		{"json object of many keys", "application/json", `{"username":"a",` + strings.Repeat(`"k":1,`, 200_000) + `"password":"b"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r := e.do("POST", "/rest/V1/integration/admin/token", tc.body, "Content-Type: "+tc.contentType)
			runtime.ReadMemStats(&after)
			if r.status != 400 || !strings.Contains(r.body, "Decoding error.") {
				t.Errorf("POST %s = %d %.200s, want 400 Decoding error.", tc.name, r.status, r.body)
			}
			// The body itself is read (and held by the test's request), a
			// few copies of 8 MB; decoding must add little.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*uint64(len(tc.body))+(16<<20) {
				t.Errorf("serving a %d-byte body allocated %d MB", len(tc.body), alloc>>20)
			}
		})
	}
}

// TestCustomerLengths checks sign-up's 255-character limits.
func TestCustomerLengths(t *testing.T) {
	e := newEnv(t, nil)
	long := strings.Repeat("a", 256)
	for _, tc := range []struct{ first, last, email, want string }{
		{long, "L", "a@example.com", `"First Name" length must be equal or less than 255 characters.`},
		{"F", long, "b@example.com", `"Last Name" length must be equal or less than 255 characters.`},
		{"F", "L", long + "@example.com", `"Email" length must be equal or less than 255 characters.`},
	} {
		body := `{"customer":{"firstname":"` + tc.first + `","lastname":"` + tc.last + `","email":"` + tc.email + `"},"password":"Secret-Pass-123"}`
		r := e.do("POST", "/rest/V1/customers", body, "Content-Type: application/json")
		if r.status != 400 || !strings.Contains(r.body, strings.ReplaceAll(tc.want, `"`, `\"`)) {
			t.Errorf("sign-up = %d %s, want 400 %s", r.status, r.body, tc.want)
		}
	}
	ok := `{"customer":{"firstname":"` + long[:255] + `","lastname":"L","email":"c@example.com"},"password":"Secret-Pass-123"}`
	if r := e.do("POST", "/rest/V1/customers", ok, "Content-Type: application/json"); r.status != 200 {
		t.Errorf("sign-up with a 255-character name = %d %s", r.status, r.body)
	}
}
