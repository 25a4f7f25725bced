package signature_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/magekit/magekit/oauth/signature"
)

// rfcRequest is the request of RFC 5849 §3.4.1.1.
func rfcRequest() signature.Request {
	return signature.Request{
		Method: "POST",
		URL:    "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
		Authorization: `OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ` +
			`oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`,
		ContentType: "application/x-www-form-urlencoded",
		Body:        "c2&a3=2+q",
	}
}

// TestRFC5849Examples checks the RFC's own examples: the base string of
// §3.4.1.1 as the RFC prints it, and the signed request of §1.2.
func TestRFC5849Examples(t *testing.T) {
	t.Run("3.4.1.1 base string", func(t *testing.T) {
		req := rfcRequest()
		params, err := signature.RFC5849.Params(req)
		if err != nil {
			t.Fatal(err)
		}
		const want = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q" +
			"%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_" +
			"key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m" +
			"ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk" +
			"9d7dh3k39sjv7"
		got, err := signature.RFC5849.BaseString(req.Method, req.URL, params)
		if err != nil || got != want {
			t.Errorf("BaseString(RFC 5849 §3.4.1.1) = %q, %v\nwant %q", got, err, want)
		}
	})
	t.Run("1.2 signature", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, "http://photos.example.net/photos?file=vacation.jpg&size=original", nil)
		r.Header.Set("Authorization", `OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", `+
			`oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"`)
		req, err := signature.ReadRequest(r, "")
		if err != nil {
			t.Fatal(err)
		}
		params, err := signature.RFC5849.Params(req)
		if err != nil {
			t.Fatal(err)
		}
		base, err := signature.RFC5849.BaseString(req.Method, req.URL, params)
		if err != nil {
			t.Fatal(err)
		}
		const wantBase = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03" +
			"%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
		if base != wantBase {
			t.Errorf("BaseString(RFC 5849 §1.2) = %q\nwant %q", base, wantBase)
		}
		// The value every implementation computes for the RFC's inputs
		// (oauthlib, dghubble, ...); some printings of the RFC differ.
		const wantSig = "MdpQcU8iPSUjWoN/UDMsK2sui9I="
		sig, err := signature.RFC5849.Sign(signature.HMACSHA1, base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
		if got, _ := paramValue(params, signature.ParamSignature); got != wantSig {
			t.Errorf("oauth_signature extracted = %q, want %q", got, wantSig)
		}
		if err != nil || sig != wantSig {
			t.Errorf("Sign(RFC 5849 §1.2) = %q, %v, want %q", sig, err, wantSig)
		}
	})
}

func TestBaseURI(t *testing.T) {
	cases := []struct {
		profile signature.Profile
		in      string
		want    string // "" means an error
	}{
		{signature.Magento247, "https://Shop.Example.COM:443/a/./b/../c", "https://shop.example.com/a/c"},
		{signature.Magento247, "HTTP://H/x", "http://h/x"},
		{signature.Magento247, "http://h/a%2Fb%26c%3a", "http://h/a/b&c:"},
		{signature.Magento247, "http://h/a%7eb", "http://h/a~b"},
		{signature.Magento247, "http://h/a%20b%2b", "http://h/a%20b+"},
		{signature.Magento247, "http://h/a%2541", "http://h/a%41"}, // decoded %25 meets "41"
		{signature.Magento247, "http://h/a%zz%", "http://h/a%25zz%25"},
		{signature.Magento247, "http://h/a[b]!*'", "http://h/a%5Bb%5D%21%2A%27"},
		{signature.Magento247, "http://h/caf%c3%a9/café", "http://h/caf%C3%A9/caf%C3%A9"},
		{signature.Magento247, "http://h/(x);y=1,z$@", "http://h/(x);y=1,z$@"},
		{signature.Magento247, "http://h/a/%2E%2E/b", "http://h/a/../b"}, // dot-segments go before decoding
		{signature.Magento247, "http://h/a/b/../../../c", "http://h/c"},
		{signature.Magento247, "http://h", "http://h/"},
		{signature.Magento247, "http://h?q=1", "http://h/"},
		{signature.Magento247, "http://h:8080/x?y#z", "http://h:8080/x"},
		{signature.Magento247, "http://h:0080/x", "http://h/x"},
		{signature.Magento247, "http://h:08080/x", "http://h:8080/x"},
		{signature.Magento247, "https://h:80/x", "https://h:80/x"},
		{signature.Magento247, "http://h:/x", "http://h/x"},
		{signature.Magento247, "http://[::1]:8080/x", "http://[::1]:8080/x"},
		{signature.Magento247, "ftp://h/x", ""},
		{signature.Magento247, "/rest/V1/x", ""},
		{signature.Magento247, "", ""},
		{signature.Magento243, "https://Shop.Example.COM:443/a/./b/%2f?x", "https://shop.example.com/a/./b/%2f"},
		{signature.Magento243, "http://h:8080/x y", "http://h:8080/x y"},
		{signature.Magento243, "ftp://h/x", ""},
		{signature.RFC5849, "HTTP://Example.COM:80/r%20v/x y?q#f", "http://example.com/r%20v/x%20y"},
		{signature.RFC5849, "https://u:p@Example.com:8443", "https://example.com:8443/"},
		{signature.RFC5849, "https://h/a%2Fb", "https://h/a%2Fb"},
	}
	for _, tc := range cases {
		got, err := tc.profile.BaseURI(tc.in)
		if tc.want == "" && err == nil || tc.want != "" && (err != nil || got != tc.want) {
			t.Errorf("%s.BaseURI(%q) = %q, %v, want %q", tc.profile, tc.in, got, err, tc.want)
		}
	}
}

// TestMagento243 checks what the pre-2.4.4 profile changes: HMAC-SHA1, the
// path as received and '+' read as a space in the query.
func TestMagento243(t *testing.T) {
	header := `OAuth oauth_consumer_key="k", oauth_nonce="n", oauth_signature_method="HMAC-SHA1"`
	req := signature.Request{Method: "get", URL: "https://Shop.example.com/rest/V1/products/ab%2Fc?q=a+b&r=%2B", Authorization: header}
	cases := []struct {
		profile signature.Profile
		want    string
	}{
		{signature.Magento243, "GET&https%3A%2F%2Fshop.example.com%2Frest%2FV1%2Fproducts%2Fab%252Fc&" +
			"oauth_consumer_key%3Dk%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26q%3Da%2520b%26r%3D%252B"},
		{signature.Magento247, "GET&https%3A%2F%2Fshop.example.com%2Frest%2FV1%2Fproducts%2Fab%2Fc&" +
			"oauth_consumer_key%3Dk%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26q%3Da%252Bb%26r%3D%252B"},
	}
	for _, tc := range cases {
		params, err := tc.profile.Params(req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tc.profile.BaseString(req.Method, req.URL, params)
		if err != nil || got != tc.want {
			t.Errorf("%s.BaseString = %q, %v\nwant %q", tc.profile, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		profile signature.Profile
		method  string
		want    bool
	}{
		{signature.Magento247, signature.HMACSHA256, true},
		{signature.Magento247, signature.HMACSHA1, false},
		{signature.Magento243, signature.HMACSHA1, true},
		{signature.Magento243, signature.HMACSHA256, true},
		{signature.RFC5849, signature.HMACSHA1, true},
		{signature.Magento243, "hmac-sha1", false},
		{signature.Magento243, "PLAINTEXT", false},
	} {
		if got := tc.profile.Supports(tc.method); got != tc.want {
			t.Errorf("%s.Supports(%q) = %v, want %v", tc.profile, tc.method, got, tc.want)
		}
	}
	if _, err := signature.Magento247.Sign(signature.HMACSHA1, "base", "cs", ""); err == nil {
		t.Errorf("Magento247.Sign(HMAC-SHA1) = nil error, want one")
	}
	sha1, err := signature.Magento243.Sign(signature.HMACSHA1, "base", "cs", "ts")
	if err != nil || len(sha1) != 28 {
		t.Errorf("Magento243.Sign(HMAC-SHA1) = %q, %v, want a 28-character signature", sha1, err)
	}
}

// TestNaturalOrder checks the order of names in the Magento base string:
// PHP strnatcmp on the encoded names, stable for names it calls equal.
func TestNaturalOrder(t *testing.T) {
	names := func(p signature.Profile, ps ...string) string {
		var params []signature.Param
		for _, n := range ps {
			params = append(params, signature.Param{Name: n, Value: "v"})
		}
		base, err := p.BaseString("GET", "http://h/", params)
		if err != nil {
			t.Fatal(err)
		}
		enc := strings.TrimPrefix(base, "GET&http%3A%2F%2Fh%2F&")
		return strings.ReplaceAll(strings.ReplaceAll(enc, "%3Dv", ""), "%26", " ")
	}
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"a10", "a2", "a1"}, "a1 a2 a10"},
		{[]string{"x[10]", "x[2]"}, "x%255B2%255D x%255B10%255D"},
		{[]string{"a02", "a1"}, "a02 a1"},  // a run starting with 0 compares left-aligned
		{[]string{"1", "01"}, "1 01"},      // leading zeros skipped: equal, insertion order kept
		{[]string{"01", "1"}, "01 1"},      //
		{[]string{"b", "B", "a"}, "B a b"}, // case-sensitive, byte order outside digits
		{[]string{"a", "a0", ""}, " a a0"},
		{[]string{"x99", "x100", "x099"}, "x099 x99 x100"},
	}
	for _, tc := range cases {
		if got := names(signature.Magento247, tc.in...); got != tc.want {
			t.Errorf("order of %q = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := names(signature.RFC5849, "a10", "a2", "a1"); got != "a1 a10 a2" {
		t.Errorf("RFC5849 order = %q, want byte order", got)
	}
}

func TestParseProfile(t *testing.T) {
	for _, p := range []signature.Profile{signature.Magento247, signature.Magento243, signature.RFC5849} {
		got, err := signature.ParseProfile(p.String())
		if err != nil || got != p {
			t.Errorf("ParseProfile(%q) = %v, %v, want %v", p.String(), got, err, p)
		}
	}
	if _, err := signature.ParseProfile("2.4.8"); err == nil {
		t.Errorf("ParseProfile(%q) = nil error, want one", "2.4.8")
	}
	var zero signature.Profile
	if zero != signature.Magento247 {
		t.Errorf("zero Profile = %v, want 2.4.7", zero)
	}
}
