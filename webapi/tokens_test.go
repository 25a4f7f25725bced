package webapi_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/magekit/magekit/settings"
	"github.com/magekit/magekit/webapi"
)

const signInFailed = `{"message":"The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."}`

func TestTokenRequests(t *testing.T) {
	e := newEnv(t, nil)
	required := func(field string) string {
		return `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"` + field + `"}}`
	}
	both := `{"message":"One or more input exceptions have occurred.","errors":[` +
		`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"username"}},` +
		`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"password"}}]}`
	const stringExpected = `{"message":"The \"array\" value's type is invalid. The \"string\" type was expected. Verify and try again."}`
	for _, tc := range []struct {
		name, body, contentType string
		status                  int
		want                    string
	}{
		{"no body", "", "", 400, both},
		{"empty object", "{}", "application/json", 400, both},
		{"no password", `{"username":"admin"}`, "application/json", 400, required("password")},
		{"empty username", `{"username":"","password":"x"}`, "application/json", 400, required("username")},
		{"null password", `{"username":"admin","password":null}`, "application/json", 400, required("password")},
		{"wrong password", `{"username":"admin","password":"nope"}`, "application/json", 401, signInFailed},
		{"unknown user", `{"username":"root","password":"magento123"}`, "application/json", 401, signInFailed},
		{"bad JSON", `{"username":`, "application/json", 400, `{"message":"Decoding error."}`},
		// ServiceInputProcessor::process converts each parameter present in
		// the method's order and fails at once on an array for a string,
		// before the missing ones are reported.
		{"username an array", `{"username":["admin"],"password":"magento123"}`, "application/json", 400, stringExpected},
		{"password an object, no username", `{"password":{"a":1}}`, "application/json", 400, stringExpected},
		{"username an array, no password", `{"username":[]}`, "application/json", 400, stringExpected},
		{"username an XML element with children", `<request><username><a>1</a></username><password>x</password></request>`, "application/xml", 400, stringExpected},
		{"username true", `{"username":true,"password":"magento123"}`, "application/json", 401, signInFailed}, // "1"
		{"no Content-Type", `{}`, "", 400, `{"message":"Content-Type header is empty."}`},
		{"invalid Content-Type", `{}`, "application/json; boundary=x", 400, `{"message":"Content-Type header is invalid."}`},
		{"charset", `{}`, "application/json; charset=ISO-8859-1", 400, `{"message":"UTF-8 is the only supported charset."}`},
		{"form", `username=admin`, "application/x-www-form-urlencoded", 400,
			`{"message":"Server cannot understand Content-Type HTTP header media type application\/x-www-form-urlencoded"}`},
		{"success", `{"username":"ADMIN","password":"magento123"}`, "application/json; charset=UTF-8", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.contentType != "" {
				headers = append(headers, "Content-Type: "+tc.contentType)
			}
			resp := e.do("POST", "/rest/V1/integration/admin/token", tc.body, headers...)
			if resp.status != tc.status || tc.want != "" && resp.body != tc.want {
				t.Errorf("POST admin token %s = %d %s, want %d %s", tc.body, resp.status, resp.body, tc.status, tc.want)
			}
		})
	}
}

// TestLockout follows Magento's RequestThrottler: 6 failures lock the user
// for 1800 s from the last failure, even with the right password; a success
// clears the failures.
func TestLockout(t *testing.T) {
	e := newEnv(t, nil)
	try := func(password string) int {
		t.Helper()
		return e.postJSON("/rest/V1/integration/admin/token", `{"username":"admin","password":"`+password+`"}`).status
	}
	fail := func(n int) {
		t.Helper()
		for i := range n {
			if status := try("wrong"); status != 401 {
				t.Fatalf("failure %d = %d, want 401", i+1, status)
			}
		}
	}
	// A success clears the count.
	fail(5)
	if status := try(adminPassword); status != 200 {
		t.Fatalf("after 5 failures = %d, want 200", status)
	}
	fail(5)
	if status := try(adminPassword); status != 200 {
		t.Fatalf("after a success and 5 failures = %d, want 200", status)
	}
	// The 7th attempt is refused even with the right password.
	fail(6)
	resp := e.postJSON("/rest/V1/integration/admin/token", `{"username":"Admin","password":"magento123"}`)
	if resp.status != 401 || resp.body != signInFailed {
		t.Fatalf("locked = %d %s, want 401", resp.status, resp.body)
	}
	// Attempts while locked are not counted: the lock ends 1800 s after
	// the 6th failure.
	e.clock.Advance(1000 * time.Second)
	if status := try("wrong"); status != 401 {
		t.Fatalf("locked, wrong password = %d", status)
	}
	e.clock.Advance(801 * time.Second)
	if status := try(adminPassword); status != 200 {
		t.Fatalf("1801 s after the 6th failure = %d, want 200", status)
	}
	// The window slides with each failure.
	fail(5)
	e.clock.Advance(1000 * time.Second)
	fail(1)
	e.clock.Advance(1000 * time.Second)
	if status := try(adminPassword); status != 401 {
		t.Fatalf("1000 s after the last failure = %d, want 401", status)
	}
	e.clock.Advance(801 * time.Second)
	if status := try(adminPassword); status != 200 {
		t.Fatalf("1801 s after the last failure = %d, want 200", status)
	}
	// The settings apply at once; 0 locks every attempt.
	if err := e.settings.Set(map[string]string{settings.PathMaxFailures: "0"}); err != nil {
		t.Fatal(err)
	}
	if status := try(adminPassword); status != 401 {
		t.Fatalf("max_failures_count 0 = %d, want 401", status)
	}
	// Customers are counted apart from admins.
	if err := e.settings.Set(map[string]string{settings.PathMaxFailures: "1"}); err != nil {
		t.Fatal(err)
	}
	fail(1)
	if resp := e.postJSON("/rest/V1/integration/customer/token", `{"username":"admin","password":"x"}`); resp.status != 401 {
		t.Fatalf("customer token = %d", resp.status)
	}
}

func TestJWT(t *testing.T) {
	e := newEnv(t, func(c *webapi.Config) { c.JWTSecret = "oldkey0123456789 newkey0123456789" })
	token := e.adminToken()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", token)
	}
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if string(header) != `{"alg":"HS256","kid":"1"}` {
		t.Errorf("header = %s", header)
	}
	key := strings.Repeat("&", 1016) + "newkey0123456789" + strings.Repeat("&", 1016)
	var claims struct {
		UID    int64 `json:"uid"`
		UTypID int   `json:"utypid"`
		IAT    int64 `json:"iat"`
		EXP    int64 `json:"exp"`
		jwt.RegisteredClaims
	}
	if _, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return []byte(key), nil },
		jwt.WithTimeFunc(e.clock.Now)); err != nil {
		t.Fatalf("token does not verify with the padded last key: %v", err)
	}
	if claims.UID != 1 || claims.UTypID != 2 || claims.IAT != e.clock.Now().Unix() || claims.EXP-claims.IAT != 3600 {
		t.Errorf("claims = %+v", claims)
	}
	for value, want := range map[string]int64{"15": 900, "0": 1800, "-3": 1800} {
		if err := e.settings.Set(map[string]string{settings.PathAdminJWTExpiration: value}); err != nil {
			t.Fatal(err)
		}
		payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(e.adminToken(), ".")[1])
		if err := json.Unmarshal(payload, &claims); err != nil {
			t.Fatal(err)
		}
		if claims.EXP-claims.IAT != want {
			t.Errorf("admin_expiration %s: lifetime %d s, want %d", value, claims.EXP-claims.IAT, want)
		}
	}
	// A key with an odd padding puts the extra '&' on the right.
	secret := "abc" + strings.Repeat("d", 30) // 33 bytes
	e2 := newEnv(t, func(c *webapi.Config) { c.JWTSecret = secret })
	odd := strings.Repeat("&", 1007) + secret + strings.Repeat("&", 1008)
	if _, err := jwt.Parse(e2.adminToken(), func(*jwt.Token) (any, error) { return []byte(odd), nil }, jwt.WithTimeFunc(e2.clock.Now)); err != nil {
		t.Errorf("odd key padding: %v", err)
	}
}
