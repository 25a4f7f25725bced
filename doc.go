// Package magekit implements Magento 2's Integration subsystem in Go: the
// integration model and lifecycle, ACL resource trees, the OAuth 1.0a
// handshake and token issuance, behind pluggable storage; and, on top of it,
// a Magento-compatible Web API that test harnesses run instead of a real
// store. Magento Open Source 2.4.7 is the reference behaviour, message for
// message and status for status.
//
// This package holds documentation only. The packages:
//
//	magerr/          Magento's error model: message template, parameters, exception class → status
//	acl/             resource trees (acl.xml, the embedded 2.4.7 tree), All/Custom grants, per-route checks
//	store/           sentinel errors shared by every backend
//	oauth/           OAuth 1.0a: parameter extraction, signature profiles, credentials, tokens,
//	                 nonces, Provider (RequestToken, AccessToken, Verify), /oauth/token/* handlers
//	integration/     Integration model and Service: create, update, delete, activate, reauthorize,
//	                 grants, provisioning from integration.xml
//	webapi/          the Magento REST surface: routing over the 2.4.7 route table, authentication
//	                 chain, ACL per route, admin and customer tokens, JSON errors, emulator controls
//	store/memstore/  go-memdb backend, the in-memory default
//	store/sqlstore/  database/sql backend: SQLite file (persistent) and MySQL/MariaDB (shared)
//	store/storetest/ the conformance suite every backend passes
//	integrationtest/ httptest harness around webapi for Go tests
//	examples/        the standalone emulator and a third-party app that completes the handshake
//
// # A five-minute tour
//
// Everything starts with a store and a Service:
//
//	s, _ := memstore.New()
//	svc := integration.NewService(s, integration.Config{StoreBaseURL: "https://shop.example/"})
//	in, _ := svc.Create(ctx, integration.Integration{Name: "ERP", Resources: []string{"Magento_Catalog::products"}})
//
// Activation follows Magento: with an endpoint and an identity link URL the
// Service posts the consumer credentials and a verifier to the endpoint, and
// the third party completes /oauth/token/request and /oauth/token/access
// against an oauth.Provider; without them the four credentials come back at
// once:
//
//	act, _ := svc.Activate(ctx, in.ID)
//	fmt.Println(act.Credentials.AccessToken)
//
// A gateway verifies a signed request exactly as Magento 2.4.7 does, with
// the same messages when it fails:
//
//	p := oauth.NewProvider(s, oauth.Config{OnAccess: svc.OnAccess})
//	grant, err := p.Verify(ctx, r) // err is a *magerr.Error: 401 "The signature is invalid. Verify and try again."
//
// And a connector's test harness runs the whole Magento Web API:
//
//	go run ./examples/emulator -addr 127.0.0.1:8080
//
// or, in Go tests, integrationtest.NewServer(t).
package magekit
