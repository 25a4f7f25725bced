package signature

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkPurePath measures what Verify does besides the store and the
// provider's checks: reading the request, extraction, the base string and
// the HMAC comparison.
// pureURL and pureHeader are the request of BenchmarkPurePath: the
// products query of oauth's BenchmarkVerify.
const (
	pureURL = "http://shop.example.com/rest/V1/products" +
		"?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=sku" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=24-MB%25" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5BconditionType%5D=like" +
		"&searchCriteria%5BpageSize%5D=20"
	pureHeader = `OAuth oauth_consumer_key="y792n13cvb75be6pkw7zhetznhj28bzf", oauth_nonce="bench12345", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1718000000", oauth_token="w8pfue5uns73t2ahtgjn204bsrpocn04", oauth_version="1.0", oauth_signature="DXNARaAwVWoNNzndpidJBx%2BCdfMwLMwfCG9PKSGGprk%3D"`
)

func BenchmarkPurePath(b *testing.B) {
	r := httptest.NewRequest(http.MethodGet, pureURL, nil)
	r.Header.Set("Authorization", pureHeader)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Magento247.Extract(r, DefaultOffloaderHeader)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range [...]string{ParamConsumerKey, ParamToken, ParamNonce, ParamTimestamp, ParamVersion} {
			if v, ok := s.Get(name); !ok || v.Array {
				b.Fatalf("%s missing", name)
			}
		}
		if err := s.BuildBase(); err != nil {
			b.Fatal(err)
		}
		method, _ := s.Get(ParamSignatureMethod)
		if s.Matches(method.Value, "sphwnjuicgswx1g2adhwd8k53dg008va", "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p") {
			b.Fatal("signature matched")
		}
		s.Release()
	}
}

// BenchmarkStages times each stage of BenchmarkPurePath alone, over the
// same request and with warm caches: reading the request, the header's
// and the query's parameters, the provider's reads, the base string and
// the HMAC with its comparison.
func BenchmarkStages(b *testing.B) {
	r := httptest.NewRequest(http.MethodGet, pureURL, nil)
	r.Header.Set("Authorization", pureHeader)
	b.Run("request", func(b *testing.B) {
		for b.Loop() {
			readRequest(r, DefaultOffloaderHeader)
		}
	})
	b.Run("header", func(b *testing.B) {
		var s paramSet
		for b.Loop() {
			s.reset()
			parseMagentoHeader(pureHeader, &s)
		}
	})
	b.Run("query", func(b *testing.B) {
		var s paramSet
		q := rawQuery(pureURL)
		b.ReportAllocs()
		for b.Loop() {
			s.reset()
			s.lazy = true
			if !s.setRawQuery(q) {
				b.Fatal("the benchmark's query is not kept as sent")
			}
		}
	})
	s, err := Magento247.Extract(r, DefaultOffloaderHeader)
	defer s.Release()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("reads", func(b *testing.B) { // what oauth.Provider reads to verify, in its order
		for b.Loop() {
			s.Get(ParamVersion)
			for _, name := range [...]string{ParamConsumerKey, ParamSignature, ParamSignatureMethod, ParamNonce, ParamTimestamp, ParamToken} {
				s.Has(name)
			}
			for _, name := range [...]string{ParamToken, ParamSignatureMethod, ParamConsumerKey, ParamToken, ParamNonce, ParamTimestamp} {
				s.Get(name)
			}
			s.IsArray(ParamSignature)
			s.Get(ParamSignatureMethod)
		}
	})
	b.Run("base", func(b *testing.B) {
		for b.Loop() {
			if err := s.BuildBase(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mac", func(b *testing.B) {
		if err := s.BuildBase(); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			s.Matches(HMACSHA256, "sphwnjuicgswx1g2adhwd8k53dg008va", "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p")
		}
	})
}

// FuzzTargetURL checks the shortcuts Verify takes over the request URL:
// its query and its parts, read from the pieces, are those of the joined
// URL.
func FuzzTargetURL(f *testing.F) {
	f.Add(true, "shop.example.com", "/rest/V1/products?searchCriteria%5BpageSize%5D=20#x")
	f.Add(false, "User@Shop.example.com:0080", "/a/./b/../c")
	f.Add(false, "", "")
	f.Add(false, "h?x", "/p?q")
	f.Add(true, "h/x#y", "*")
	f.Add(false, "h", "?q=1")
	f.Fuzz(func(t *testing.T, tls bool, host, target string) {
		u := targetURL{scheme: "http://", host: host, target: target}
		if tls {
			u.scheme = "https://"
		}
		if got, want := u.query(), rawQuery(u.String()); got != want {
			t.Fatalf("%#v.query() = %q, want %q", u, got, want)
		}
		got, gotErr := u.parts()
		want, wantErr := splitURL(u.String())
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%#v.parts() = %#v, %v, want %#v, %v", u, got, gotErr, want, wantErr)
		}
	})
}

// FuzzDecode checks appendDecoded against PHP's decoding as written
// plainly, its report of a self-encoding name against appendEncoded, and
// verifyMAC's escaped signature against the decoded one.
func FuzzDecode(f *testing.F) {
	f.Add("searchCriteria%5BpageSize%5D", false)
	f.Add("a%5b%41%2+b%", true)
	f.Add("DXNARaAwVWoNNzndpidJBx%2BCdfMwLMwfCG9PKSGGprk%3D", false)
	f.Fuzz(func(t *testing.T, s string, plus bool) {
		var want []byte
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
				want = append(want, unhex(s[i+1])<<4|unhex(s[i+2]))
				i += 2
			case c == '+' && plus:
				want = append(want, ' ')
			default:
				want = append(want, c)
			}
		}
		got, encoded := appendDecoded([]byte("x"), s, plus)
		if string(got) != "x"+string(want) {
			t.Fatalf("appendDecoded(%q, %v) = %q, want %q", s, plus, got[1:], want)
		}
		if reencoded := string(appendEncoded(nil, want)) == s; encoded != reencoded {
			t.Fatalf("appendDecoded(%q, %v) reports encoded %v, want %v", s, plus, encoded, reencoded)
		}
		if plus {
			return
		}
		msg := make([]byte, hmacBlock, hmacBlock+len(s))
		msg = append(msg, s...)
		var sig [base64Max]byte
		n := macBase64(&sig, HMACSHA256, msg, "c", "t")
		mac := string(sig[:n])
		if got, want := verifyMAC(HMACSHA256, msg, "c", "t", s, true), string(want) == mac; got != want {
			t.Fatalf("verifyMAC(%q, escaped) = %v, want %v", s, got, want)
		}
		if !verifyMAC(HMACSHA256, msg, "c", "t", PercentEncode(mac), true) || !verifyMAC(HMACSHA256, msg, "c", "t", mac, false) {
			t.Fatalf("verifyMAC rejects the MAC of %q", s)
		}
	})
}

// TestSignedOversized checks the pool's size bound: a Signed that grew
// past it for one large request is dropped, not kept for every later one.
func TestSignedOversized(t *testing.T) {
	var sc Signed
	if sc.oversized() {
		t.Error("an empty scratch is oversized")
	}
	sc.base.buf = make([]byte, 0, 4<<10)
	sc.set.dec = make([]byte, 0, 4<<10)
	if sc.oversized() {
		t.Error("a scratch of a usual request is oversized")
	}
	sc.set.dec = make([]byte, 0, maxPooled+1)
	if !sc.oversized() {
		t.Error("a scratch holding a large decode buffer is not oversized")
	}
}

// FuzzRawQuery checks the query kept as sent (setRawQuery) against the
// query decoded (setQuery): for any query, the base string a Signed builds
// is the one Params and BaseString give, and reading a query parameter by
// name returns what Params returns.
func FuzzRawQuery(f *testing.F) {
	f.Add("searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=24-MB%25&searchCriteria%5BpageSize%5D=20", "searchCriteria[pageSize]")
	f.Add("a=1&a=2&b=&=3&c", "a")
	f.Add("a%5Bb%5D=1&a[b]=2", "a[b]")
	f.Add("x=%41&y=%e9&z=a+b&oauth%5Fnonce=1", "x")
	f.Add("q=%2&r=%", "q")
	f.Add("y=%e9&a%5b%5D=1", "a[]")
	f.Add("a=%41&b=%2f&c=v%20w", "a")
	f.Add("p=x%7E&s%5B0%5D=1&s%5B1%5D=2&s%5B0%5D=3", "s[0]")
	f.Add("a=1&b=2&a=3&c=%e9&a=4", "a") // canonical pieces, then one that is not
	many := ""
	for i := range 40 {
		many += fmt.Sprintf("p%d=%d&", i, i)
	}
	f.Add(many+"p3=x", "p3")        // past the index threshold
	f.Add(many+"p3=x+y&p4=z", "p3") // and then a piece that is not canonical
	f.Fuzz(func(t *testing.T, query, name string) {
		const header = `OAuth oauth_consumer_key="k", oauth_nonce="n", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1", oauth_signature="s"`
		for _, p := range []Profile{Magento247, Magento243} {
			r := &http.Request{Method: http.MethodGet, Host: "shop.example.com", RequestURI: "/rest/V1/x?" + query,
				Header: http.Header{"Authorization": {header}}}
			want, wantErr := p.Params(Request{Method: r.Method, URL: "http://shop.example.com" + r.RequestURI, Authorization: header})
			s, err := p.Extract(r, "")
			if (err == nil) != (wantErr == nil) {
				s.Release()
				t.Fatalf("%s: Extract = %v, Params = %v", p, err, wantErr)
			}
			if err != nil {
				s.Release()
				continue
			}
			wantBase, err := p.BaseString(r.Method, "http://shop.example.com"+r.RequestURI, want)
			if err != nil {
				s.Release()
				t.Fatal(err)
			}
			if err := s.BuildBase(); err != nil {
				s.Release()
				t.Fatal(err)
			}
			if got := s.BaseString(); got != wantBase {
				s.Release()
				t.Fatalf("%s: query %q: base string\n%s\nwant\n%s", p, query, got, wantBase)
			}
			var wantValue Value
			wantOK := false
			for _, x := range want {
				if x.Name == name {
					wantValue, wantOK = Value{Value: x.Value}, true
					break
				}
			}
			if got, ok := s.Get(name); ok != wantOK || got != wantValue {
				s.Release()
				t.Fatalf("%s: query %q: Get(%q) = %+v, %v; want %+v, %v", p, query, name, got, ok, wantValue, wantOK)
			}
			s.Release()
		}
	})
}

// TestProtoSlot checks protoSlot against the protocol names and names
// close to them.
func TestProtoSlot(t *testing.T) {
	for k, name := range protoNames {
		if got := protoSlot(name); got != k {
			t.Errorf("protoSlot(%q) = %d, want %d", name, got, k)
		}
		for _, other := range []string{name[:len(name)-1], name + "x", "x" + name[1:], name[:6] + "X" + name[7:], strings.ToUpper(name)} {
			if got := protoSlot(other); got != -1 {
				t.Errorf("protoSlot(%q) = %d, want -1", other, got)
			}
		}
	}
	for _, name := range []string{"", "oauth_", "oauth_c", "oauth_consumer_ke", "oauth_signature_methox", "searchCriteria", "oauth_realm"} {
		if got := protoSlot(name); got != -1 {
			t.Errorf("protoSlot(%q) = %d, want -1", name, got)
		}
	}
}
