// Command thirdparty plays the third-party application of a Magento
// integration, the part a real connector implements:
//
//  1. it serves the integration's endpoint ("Callback URL"), where Magento
//     posts the consumer key and secret, the store base URL and a verifier
//     when the admin clicks Allow;
//  2. it exchanges the verifier for a request token and an access token at
//     the store's /oauth/token/request and /oauth/token/access, with
//     github.com/dghubble/oauth1 and HMAC-SHA256;
//  3. it makes a signed REST call.
//
// Run it beside the emulator:
//
//	go run ./examples/emulator &                     # listening on http://127.0.0.1:8080/
//	go run ./examples/thirdparty -listen 127.0.0.1:9000 -call rest/V1/store/storeConfigs
//
// then create an integration whose endpoint is http://127.0.0.1:9000/ and
// activate it (see the README). The program prints the outcome of each step
// and never prints a secret. With identity link URL
// http://127.0.0.1:9000/identity the admin's browser gets a sign-in page
// that returns it to Magento's success_call_back; -keep-serving keeps it
// up after the handshake.
// With -bad-sort it signs in dghubble/oauth1's
// byte order instead of Magento's natural order: a call such as
// rest/V1/products?searchCriteria[filterGroups][0][filters][10][field]=sku&...[2]...
// then fails, and the emulator's journal names the mistake.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9000", "address of the endpoint Magento posts the credentials to")
	call := flag.String("call", "rest/V1/store/storeConfigs", "path, relative to the store base URL, of the signed GET made after the handshake")
	wait := flag.Duration("wait", 10*time.Minute, "how long to wait for the credential post")
	badSort := flag.Bool("bad-sort", false, "sign with RFC 5849's byte-order sort instead of Magento's natural order, to see the emulator's signature doctor name the mistake")
	flag.Parse()
	if err := run(*listen, *call, *wait, *badSort); err != nil {
		log.Fatal(err)
	}
}

func run(listen, call string, wait time.Duration, badSort bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	app := NewApp()
	app.BadSort = badSort
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	fmt.Printf("endpoint listening on http://%s/\n", ln.Addr())

	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	post, err := app.WaitPost(wctx)
	if err != nil {
		return err
	}
	fmt.Printf("credential post received: consumer key %s, store %s\n", post.ConsumerKey, post.StoreBaseURL)
	if err := app.Complete(post); err != nil {
		return err
	}
	fmt.Println("handshake complete: access token issued, the integration is Active")
	status, body, err := app.Get(ctx, strings.TrimRight(post.StoreBaseURL, "/")+"/"+strings.TrimLeft(call, "/"))
	if err != nil {
		return err
	}
	fmt.Printf("GET %s: %d %s\n", call, status, body)
	if *keepServing {
		fmt.Println("serving until interrupted")
		<-ctx.Done()
	}
	return nil
}
