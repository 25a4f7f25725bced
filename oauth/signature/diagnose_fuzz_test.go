package signature

import (
	"bytes"
	"testing"
)

// knownRule reports whether id is one of the Rule constants.
func knownRule(id string) bool {
	if id == RuleNone || id == RuleUnknown {
		return true
	}
	for _, r := range rules {
		if r.id == id {
			return true
		}
	}
	return false
}

// TestDoctorBaseline checks that the doctor's own assembly, with no
// mistake, is the provider's base string: every variant differs from the
// server by its mistake alone.
func TestDoctorBaseline(t *testing.T) {
	checked := 0
	for _, p := range []Profile{Magento247, Magento243, RFC5849} {
		for _, c := range diagnoseSeeds {
			d, err := p.newDoctor(Request{Method: c.method, URL: c.url, Authorization: c.auth, ContentType: c.contentType, Body: c.body}, "cs", "ts")
			if err != nil {
				continue
			}
			checked++
			if err := d.baseline(); err != nil {
				t.Errorf("%s %s %s: %v", p, c.method, c.url, err)
			}
		}
	}
	if checked < 6 {
		t.Fatalf("only %d seed requests could be signed, want at least 6", checked)
	}
}

// baseline compares the zero recipe's base string with the server's.
func (d *doctor) baseline() error {
	server := string(d.msg[hmacBlock:])
	var err error
	if d.uri, err = d.profile.appendBaseURI(nil, d.u); err != nil {
		return err
	}
	got := d.assemble(recipe{list: d.list}).msg[hmacBlock:]
	if !bytes.Equal(got, []byte(server)) {
		return &baselineError{got: string(got), want: server}
	}
	return nil
}

type baselineError struct{ got, want string }

func (e *baselineError) Error() string {
	return "doctor's baseline base string\n" + e.got + "\nwant the server's\n" + e.want
}

var diagnoseSeeds = []struct{ method, url, auth, contentType, body string }{
	{"GET", "http://shop.example.com/rest/V1/products?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B10%5D%5Bfield%5D=sku&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B2%5D%5Bfield%5D=name",
		`OAuth oauth_consumer_key="k", oauth_token="t", oauth_nonce="n", oauth_timestamp="1", oauth_signature_method="HMAC-SHA256", oauth_version="1.0", oauth_signature="abc%3D"`, "", ""},
	{"POST", "https://Shop.example.com:443/rest/all/V1/products/MH01%2fXS%2fBlack?q=a+b&x=1&x=2&flag&01=a&1=b",
		`OAuth oauth_consumer_key="k", oauth_nonce="n", oauth_signature_method="HMAC-SHA1", oauth_signature="x"`,
		"application/x-www-form-urlencoded; charset=UTF-8", "a=1&b=two%20words&a=3&c[]=x"},
	{"put", "http://shop.example.com:8080/rest/V1/a%20b/../c?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
		`OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA256", oauth_signature="", xoauth_x="1"`,
		"Application/x-www-form-urlencoded", "z=1&oauth_extra=2"},
	{"GET", "http://shop.example.com", `oauth oauth_signature_method="HMAC-SHA256",oauth_signature="%2B%2F%3D"`, "", ""},
}

// FuzzDiagnose runs the doctor on arbitrary requests and secrets. It must
// not panic, must answer a known rule, must compute at most one HMAC per
// rule, and its baseline must be the server's base string.
func FuzzDiagnose(f *testing.F) {
	for i, c := range diagnoseSeeds {
		f.Add(uint8(i%3), c.method, c.url, c.auth, c.contentType, c.body, "cs", "ts")
	}
	f.Add(uint8(0), "GET", "http://h/?a=1", `OAuth oauth_signature_method="HMAC-SHA256", oauth_signature="s"`, "", "", "", "")
	f.Fuzz(func(t *testing.T, profile uint8, method, url, auth, contentType, body, cs, ts string) {
		p := Profile(profile % 3)
		req := Request{Method: method, URL: url, Authorization: auth, ContentType: contentType, Body: body}
		dg, err := p.Diagnose(req, cs, ts)
		if err != nil {
			return
		}
		if !knownRule(dg.Rule) || dg.Explanation == "" {
			t.Fatalf("Diagnose = %+v, want a known rule with an explanation", dg)
		}
		if (dg.ClientBaseString == "") != (dg.Rule == RuleNone || dg.Rule == RuleUnknown) {
			t.Fatalf("Diagnose = %+v: client base string present for a rule iff a mistake was found", dg)
		}
		d, err := p.newDoctor(req, cs, ts)
		if err != nil {
			t.Fatalf("newDoctor = %v after Diagnose succeeded", err)
		}
		if err := d.baseline(); err != nil {
			t.Fatal(err)
		}
		d.run()
		if d.tries > len(rules) {
			t.Fatalf("the doctor computed %d HMACs for %d rules", d.tries, len(rules))
		}
	})
}
