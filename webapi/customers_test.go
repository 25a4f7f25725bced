package webapi_test

import (
	"strings"
	"testing"
)

func TestCreateCustomer(t *testing.T) {
	e := newEnv(t, nil)
	customer := func(email, password string) string {
		return `{"customer":{"email":"` + email + `","firstname":"Jane","lastname":"Doe"},"password":"` + password + `"}`
	}
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"created", customer("jane@example.com", "Secret-123"), 200, ""},
		{"duplicate email", customer("JANE@example.com", "Secret-123"), 400,
			`{"message":"A customer with the same email address already exists in an associated website."}`},
		{"no customer", `{"password":"Secret-123"}`, 400,
			`{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"customer"}}`},
		{"short password", customer("a@example.com", "Ab1"), 400,
			`{"message":"The password needs at least %1 characters. Create a new password and try again.","parameters":["8"]}`},
		{"one class", customer("a@example.com", "abcdefghij"), 400,
			`{"message":"Minimum of different classes of characters in password is %1. Classes of characters: Lower Case, Upper Case, Digits, Special Characters.","parameters":["3"]}`},
		{"spaces", customer("a@example.com", " Secret-123"), 400,
			`{"message":"The password can't begin or end with a space. Verify the password and try again."}`},
		{"password is the email", customer("Ab1-cdef@example.com", "ab1-CDEF@example.com"), 400,
			`{"message":"The password can't be the same as the email address. Create a new password and try again."}`},
		{"missing attributes", `{"customer":{"email":"b@example.com"}}`, 400,
			`{"message":"\"First Name\" is a required value.\n\"Last Name\" is a required value."}`},
		{"invalid email", customer("not-an-email", "Secret-123"), 400, `{"message":"\"Email\" is not a valid email address."}`},
		{"no password", `{"customer":{"email":"c@example.com","firstname":"C","lastname":"D"}}`, 200, ""},
		// An array for the string password fails in the conversion, before
		// the missing customer is reported (ServiceInputProcessor::process).
		{"password an array, no customer", `{"password":["Secret-123"]}`, 400,
			`{"message":"The \"array\" value's type is invalid. The \"string\" type was expected. Verify and try again."}`},
		{"redirect_url an object", `{"customer":{"email":"d@example.com","firstname":"C","lastname":"D"},"redirect_url":{}}`, 400,
			`{"message":"The \"array\" value's type is invalid. The \"string\" type was expected. Verify and try again."}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.postJSON("/rest/V1/customers", tc.body)
			if resp.status != tc.status || tc.want != "" && resp.body != tc.want {
				t.Errorf("POST /V1/customers %s = %d %s, want %d %s", tc.body, resp.status, resp.body, tc.status, tc.want)
			}
		})
	}
	// A customer created without a password cannot sign in.
	if resp := e.postJSON("/rest/V1/integration/customer/token", `{"username":"c@example.com","password":"x"}`); resp.status != 401 {
		t.Errorf("customer without password: token = %d %s", resp.status, resp.body)
	}
	resp := e.postJSON("/rest/V1/customers", customer("x@example.com", "Secret-123"), "Accept: application/xml")
	for _, want := range []string{"<email>x@example.com</email>", "<addresses/>", "<extension_attributes>\n    <is_subscribed>false</is_subscribed>\n  </extension_attributes>"} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("XML customer lacks %q:\n%s", want, resp.body)
		}
	}
}

func TestRevokeCustomerToken(t *testing.T) {
	e := newEnv(t, nil)
	e.postJSON("/rest/V1/customers", `{"customer":{"email":"jane@example.com","firstname":"Jane","lastname":"Doe"},"password":"Secret-123"}`)
	resp := e.postJSON("/rest/V1/integration/customer/token", `{"username":"jane@example.com","password":"Secret-123"}`)
	h := "Authorization: Bearer " + strings.Trim(resp.body, `"`)
	if resp := e.do("POST", "/rest/V1/integration/customer/revoke-customer-token", "", h); resp.status != 200 || resp.body != "true" {
		t.Fatalf("revoke = %d %s", resp.status, resp.body)
	}
	if resp := e.do("GET", "/rest/V1/customers/me", "", h); resp.status != 401 || resp.body != denied("self") {
		t.Errorf("revoked token = %d %s", resp.status, resp.body)
	}
}
