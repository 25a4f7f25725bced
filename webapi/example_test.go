package webapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/webapi"
)

// The whole stack over memstore with one admin user: a guest is refused,
// the admin gets a token and then the route's fixture.
func ExampleNewStack() {
	ctx := context.Background()
	st, err := memstore.New()
	if err != nil {
		panic(err)
	}
	users := account.NewMemory()
	pw, err := account.NewPassword("magento123", 1000)
	if err != nil {
		panic(err)
	}
	if err := users.CreateAdmin(ctx, &account.AdminUser{Username: "admin", Password: pw}); err != nil {
		panic(err)
	}
	stack, err := webapi.NewStack(st, webapi.StackConfig{Server: webapi.Config{Users: users}})
	if err != nil {
		panic(err)
	}
	srv := stack.Server
	if err := srv.SetFixture(webapi.Fixture{Method: "GET", URL: "/V1/products/:sku", Body: json.RawMessage(`{"sku":"24-MB01"}`)}); err != nil {
		panic(err)
	}

	call := func(method, path, token, body string) string {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return fmt.Sprint(w.Code, " ", w.Body)
	}
	fmt.Println(call("GET", "/rest/V1/products/24-MB01", "", ""))
	tokenAnswer := call("POST", "/rest/V1/integration/admin/token", "", `{"username":"admin","password":"magento123"}`)
	var token string
	if err := json.Unmarshal([]byte(strings.TrimPrefix(tokenAnswer, "200 ")), &token); err != nil {
		panic(err)
	}
	fmt.Println(call("GET", "/rest/default/V1/products/24-MB01", token, ""))
	fmt.Println(call("GET", "/rest/V1/orders", token, ""))
	fmt.Println(call("GET", "/rest/V1/orders?searchCriteria[pageSize]=20", token, ""))
	// Output:
	// 401 {"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Catalog::products"}}
	// 200 {"sku":"24-MB01"}
	// 400 {"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"searchCriteria"}}
	// 200 {"message":"magekit emulator: no fixture is set for GET \/V1\/orders"}
}
