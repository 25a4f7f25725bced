package oauth_test

import (
	"fmt"

	"github.com/magekit/magekit/oauth/signature"
)

// A client signs a search the way Magento 2.4.7 will check it: the index
// 10 sorts after 2 (natural order) and the escaped slash in the path is
// decoded (laminas-oauth normalisation).
func ExampleProfile_BaseString() {
	req := signature.Request{
		Method: "GET",
		URL:    "https://Shop.example.com/rest/V1/products/ab%2Fc?f%5B10%5D=x&f%5B2%5D=y",
		Authorization: signature.AuthorizationHeader([]signature.Param{
			{Name: "oauth_consumer_key", Value: "y792n13cvb75be6pkw7zhetznhj28bzf"},
			{Name: "oauth_nonce", Value: "n1"},
			{Name: "oauth_signature_method", Value: "HMAC-SHA256"},
			{Name: "oauth_timestamp", Value: "1718000000"},
		}),
	}
	params, err := signature.Magento247.Params(req)
	if err != nil {
		panic(err)
	}
	base, err := signature.Magento247.BaseString(req.Method, req.URL, params)
	if err != nil {
		panic(err)
	}
	fmt.Println(base)
	sig, err := signature.Magento247.Sign(signature.HMACSHA256, base, "sphwnjuicgswx1g2adhwd8k53dg008va", "")
	fmt.Println(len(sig), err)
	// Output:
	// GET&https%3A%2F%2Fshop.example.com%2Frest%2FV1%2Fproducts%2Fab%2Fc&f%255B2%255D%3Dy%26f%255B10%255D%3Dx%26oauth_consumer_key%3Dy792n13cvb75be6pkw7zhetznhj28bzf%26oauth_nonce%3Dn1%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1718000000
	// 44 <nil>
}
