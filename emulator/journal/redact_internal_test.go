package journal

import "testing"

func TestRedactQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"searchCriteria[pageSize]=20&storeId=1", "searchCriteria[pageSize]=20&storeId=1"},
		{"oauth_signature=abc%3D&q=1", "oauth_signature=REDACTED&q=1"},
		{"q=1&password=hunter2&flag", "q=1&password=REDACTED&flag"},
		{"oauth%5Fverifier=v&Client_Secret=s", "oauth%5Fverifier=REDACTED&Client_Secret=REDACTED"},
		{"oauth_token=t&access_token=a&oauth_consumer_key=k", "oauth_token=REDACTED&access_token=REDACTED&oauth_consumer_key=k"},
		{"oauth_signature", "oauth_signature"}, // no value to hide
		// A name that does not decode could name anything: redacted.
		{"bad%zz=1&secret=%zz", "bad%zz=REDACTED&secret=REDACTED"},
		{"t%6Fken%zz=s3cr3t&q=1", "t%6Fken%zz=REDACTED&q=1"},
		{"t%6Fken=s3cr3t", "t%6Fken=REDACTED"},
		// The algorithm is no secret, and a developer needs to see it.
		{"oauth_signature_method=HMAC-SHA256&oauth_signature=x", "oauth_signature_method=HMAC-SHA256&oauth_signature=REDACTED"},
	} {
		if got := redactQuery(tc.in); got != tc.want {
			t.Errorf("redactQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactBaseString(t *testing.T) {
	// The access-token step's base string: the verifier goes, the rest
	// stays byte for byte.
	in := "POST&http%3A%2F%2Fshop.example%2Foauth%2Ftoken%2Faccess&oauth_consumer_key%3Dk%26oauth_nonce%3Dn%26oauth_token%3Dt%26oauth_verifier%3Dv3r1f13r%26x%3Da%2520b"
	want := "POST&http%3A%2F%2Fshop.example%2Foauth%2Ftoken%2Faccess&oauth_consumer_key%3Dk%26oauth_nonce%3Dn%26oauth_token%3DREDACTED%26oauth_verifier%3DREDACTED%26x%3Da%2520b"
	if got := redactBaseString(in, ""); got != want {
		t.Errorf("redactBaseString(access step)\n got %s\nwant %s", got, want)
	}
	plain := "GET&http%3A%2F%2Fshop.example%2Frest%2FV1%2Fproducts&oauth_consumer_key%3Dk%26searchCriteria%255BpageSize%255D%3D20"
	if got := redactBaseString(plain, ""); got != plain {
		t.Errorf("redactBaseString(nothing sensitive) = %s, want it unchanged", got)
	}
	form := "POST&http%3A%2F%2Fshop.example%2Frest%2FV1%2Fx&oauth_consumer_key%3Dk%26password%3Dhunter2"
	if got, want := redactBaseString(form, ""), "POST&http%3A%2F%2Fshop.example%2Frest%2FV1%2Fx&oauth_consumer_key%3Dk%26password%3DREDACTED"; got != want {
		t.Errorf("redactBaseString(form password) = %s, want %s", got, want)
	}
	for _, odd := range []string{"", "GET", "GET&x"} {
		if got := redactBaseString(odd, ""); got != odd {
			t.Errorf("redactBaseString(%q) = %q, want it unchanged", odd, got)
		}
	}
	// A parameter string that does not decode is withheld whole.
	if got, want := redactBaseString("GET&x&%zz", ""), "GET&x&REDACTED"; got != want {
		t.Errorf("redactBaseString(undecodable) = %q, want %q", got, want)
	}
	signed := "GET&http%3A%2F%2Fshop.example%2Frest%2FV1%2Fx&oauth_consumer_key%3Dk%26oauth_signature_method%3DHMAC-SHA256%26oauth_token%3Dt"
	if got, want := redactBaseString(signed, ""), "GET&http%3A%2F%2Fshop.example%2Frest%2FV1%2Fx&oauth_consumer_key%3Dk%26oauth_signature_method%3DHMAC-SHA256%26oauth_token%3DREDACTED"; got != want {
		t.Errorf("redactBaseString(signature method) = %s, want %s", got, want)
	}
}

func TestRedactAuthorization(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Bearer abc", "Bearer REDACTED"},
		{"Basic YWRtaW46cGFzcw==", "Basic REDACTED"},
		{`OAuth oauth_consumer_key="k",oauth_signature_method="HMAC-SHA256",oauth_signature="s1g"`,
			`OAuth oauth_consumer_key="k",oauth_signature_method="HMAC-SHA256",oauth_signature="REDACTED"`},
		{`OAuth realm="", oauth_token="t0k", oauth_version="1.0"`, `OAuth realm="", oauth_token="REDACTED", oauth_version="1.0"`},
		// A comma inside a quoted value does not end it: no piece of the
		// signature survives, and nor does what follows an '=' in it.
		{`OAuth oauth_signature="ab,cd",oauth_nonce="n"`, `OAuth oauth_signature="REDACTED",REDACTED,oauth_nonce="n"`},
		{`OAuth oauth_signature="ab,x=cd", oauth_nonce="n"`, `OAuth oauth_signature="REDACTED",REDACTED, oauth_nonce="n"`},
		// A harmless name whose unterminated value swallows a secret.
		{`OAuth realm="x,oauth_token=t0k`, `OAuth REDACTED,oauth_token="REDACTED"`},
		{`OAuth realm="x,y`, `OAuth REDACTED,REDACTED`},
		// A piece that is no name=value pair could be anything.
		{`OAuth oauth_consumer_key="k",s3cr3t`, `OAuth oauth_consumer_key="k",REDACTED`},
		{`OAuth t%6Fken%zz="s3cr3t"`, `OAuth t%6Fken%zz="REDACTED"`},
	} {
		if got := redactAuthorization(tc.in); got != tc.want {
			t.Errorf("redactAuthorization(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactPath(t *testing.T) {
	const reset = "/V1/customers/:customerId/password/resetLinkToken/:resetPasswordLinkToken"
	for _, tc := range []struct{ path, route, want string }{
		{"/rest/V1/products/24-MB01", "/V1/products/:sku", "/rest/V1/products/24-MB01"},
		{"/rest/V1/customers/5/password/resetLinkToken/S3CR3T", reset, "/rest/V1/customers/5/password/resetLinkToken/REDACTED"},
		{"/magento/rest/default/V1/customers/5/password/resetLinkToken/S3CR3T/", reset, "/magento/rest/default/V1/customers/5/password/resetLinkToken/REDACTED/"},
		{"/rest/V1/customers/5/password/resetLinkToken/S3CR3T", "", "/rest/V1/customers/5/password/resetLinkToken/S3CR3T"},
		// A path that does not line up with its route is withheld.
		{"/S3CR3T", reset, "REDACTED"},
	} {
		if got := redactPath(tc.path, tc.route); got != tc.want {
			t.Errorf("redactPath(%q, %q) = %q, want %q", tc.path, tc.route, got, tc.want)
		}
	}
	in := "GET&http%3A%2F%2Fshop.example%2Frest%2FV1%2Fcustomers%2F5%2Fpassword%2FresetLinkToken%2FS3CR3T&oauth_consumer_key%3Dk"
	want := "GET&http%3A%2F%2Fshop.example%2Frest%2FV1%2Fcustomers%2F5%2Fpassword%2FresetLinkToken%2FREDACTED&oauth_consumer_key%3Dk"
	if got := redactBaseString(in, reset); got != want {
		t.Errorf("redactBaseString(reset route)\n got %s\nwant %s", got, want)
	}
}

func TestRedactBodyEscapes(t *testing.T) {
	// A body that is not parsed as JSON may still spell a sensitive name
	// with escapes: it is withheld.
	for _, body := range []string{`{"t\u006fken":"S3CR3T"}`, `t%6Fken=S3CR3T`} {
		if got := redactBody("text/plain", []byte(body), false); got != withheld {
			t.Errorf("redactBody(text/plain, %s) = %q, want it withheld", body, got)
		}
	}
	if got := redactBody("application/json", []byte(`{"t\u006fken":"S3CR3T","a":1}`), false); got != `{"a":1,"token":"REDACTED"}` {
		t.Errorf("redactBody(json with an escaped name) = %q", got)
	}
}
