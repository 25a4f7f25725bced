package oauth

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkPurePath measures what Verify does besides the store: reading
// the request, extraction, the protocol checks, the base string and the
// HMAC comparison.
func BenchmarkPurePath(b *testing.B) {
	const url = "http://shop.example.com/rest/V1/products" +
		"?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=sku" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=24-MB%25" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5BconditionType%5D=like" +
		"&searchCriteria%5BpageSize%5D=20"
	r := httptest.NewRequest(http.MethodGet, url, nil)
	r.Header.Set("Authorization", `OAuth oauth_consumer_key="y792n13cvb75be6pkw7zhetznhj28bzf", oauth_nonce="bench12345", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1718000000", oauth_token="w8pfue5uns73t2ahtgjn204bsrpocn04", oauth_version="1.0", oauth_signature="DXNARaAwVWoNNzndpidJBx%2BCdfMwLMwfCG9PKSGGprk%3D"`)
	p := NewProvider(nil, Config{})
	b.ReportAllocs()
	for b.Loop() {
		sc := scratchPool.Get().(*scratch)
		req, _ := readRequest(r, p.offloader)
		if err := p.profile.extract(&req, &sc.set); err != nil {
			b.Fatal(err)
		}
		if err := p.checkProtocol(&sc.set, stepVerify); err != nil {
			b.Fatal(err)
		}
		msg, err := sc.base.build(p.profile, req.Method, req.URL, sc.set.list)
		if err != nil {
			b.Fatal(err)
		}
		sig, _ := sc.set.get(ParamSignature)
		if verifyMAC(HMACSHA256, msg, "sphwnjuicgswx1g2adhwd8k53dg008va", "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p", sig.value) {
			b.Fatal("signature matched")
		}
		sc.set.reset()
		scratchPool.Put(sc)
	}
}
