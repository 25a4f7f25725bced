package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/magekit/magekit/emulator"
)

// An Emulator on a loopback server: get an admin token, create an
// integration through the control routes, activate it (direct path: no
// endpoint) and read the journal.
func ExampleNew() {
	srv := httptest.NewUnstartedServer(nil)
	emu, err := emulator.New(context.Background(), emulator.Config{
		BaseURL: "http://" + srv.Listener.Addr().String() + "/",
	})
	if err != nil {
		panic(err)
	}
	srv.Config.Handler = emu
	srv.Start()
	defer srv.Close()

	call := func(method, path, token, body string) string {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	var token string
	_ = json.Unmarshal([]byte(call("POST", "/rest/V1/integration/admin/token", "", `{"username":"admin","password":"magento123"}`)), &token)

	var in struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Status int    `json:"status"`
	}
	_ = json.Unmarshal([]byte(call("POST", "/rest/V1/integrations", token, `{"integration":{"name":"ERP","all_resources":true}}`)), &in)
	fmt.Printf("created %q, id %d, status %d\n", in.Name, in.ID, in.Status)

	var creds map[string]string
	_ = json.Unmarshal([]byte(call("POST", "/rest/V1/integrations/1/activate", token, "")), &creds)
	fmt.Println("direct activation, access token length:", len(creds["access_token"]))

	for _, e := range emu.Journal() {
		fmt.Println(e.Method, e.Path, e.Who, e.Outcome, e.Status)
	}
	// Output:
	// created "ERP", id 1, status 0
	// direct activation, access token length: 32
	// POST /rest/V1/integration/admin/token guest handler 200
	// POST /rest/V1/integrations admin handler 200
	// POST /rest/V1/integrations/1/activate admin handler 200
}
