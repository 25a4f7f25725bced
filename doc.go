// Package magekit implements Magento 2's Integration subsystem in Go: the
// integration model and lifecycle, ACL resource trees, the OAuth 1.0a
// handshake and token issuance, behind pluggable storage; and, on top of it,
// a Magento-compatible Web API that test harnesses run instead of a real
// store. Magento Open Source 2.4.7 is the reference behaviour, message for
// message and status for status.
//
// This package holds documentation and [Version] only. The packages:
//
//	user/            the one user-type enum (integration, admin, customer, guest), Magento's numbers
//	magerr/          Magento's error model: message template, parameters, exception class → status,
//	                 errors.Is by class and template, report ids
//	acl/             resource trees (acl.xml, the embedded 2.4.7 tree), All/Custom grants, per-route checks
//	store/           sentinel errors shared by every backend
//	oauth/           OAuth 1.0a provider: credentials, tokens, nonces, Magento's checks in order,
//	                 Provider (RequestToken, AccessToken, Verify), /oauth/token/* answers
//	oauth/signature/ how Magento reads and signs a request: extraction, request URL, base string,
//	                 HMAC, profiles (2.4.7, 2.4.3, RFC 5849), the signature doctor; no store
//	integration/     Integration model and Service: create, update, delete, activate, reauthorize,
//	                 roles, provisioning from integration.xml
//	integration/xmlconfig/ integration.xml and the legacy config.xml/api.xml: parsing, XSD checks,
//	                 LoadDir over a module tree
//	settings/        the live store configuration (config paths, Magento's defaults)
//	account/         admin users and customers, their password hashes, the in-memory user store
//	webapi/          the Magento REST surface: routing over the 2.4.7 route table, authentication
//	                 chain, ACL per route, admin and customer tokens, Magento's error bodies;
//	                 NewStack wires a store, settings, Service, Provider and Server together
//	webapi/route/    the 431 REST routes of 2.4.7 (embedded), the guest routes, Magento's router
//	twofactor/       Magento_TwoFactorAuth's Google Authenticator: TOTP, secrets
//	emulator/        the emulator on top of webapi: control routes, fixture and seed files
//	emulator/fixture/ fixtures: shape, decoding, matching, sequences, scenarios
//	emulator/journal/ the journal: ring, entries, filters, capture, redaction of secrets
//	store/memstore/  go-memdb backend, the in-memory default
//	store/sqlstore/  database/sql backend: SQLite file (persistent) and MySQL/MariaDB (shared)
//	store/storetest/ the conformance suite every backend passes
//	integrationtest/ httptest harness around the emulator for Go tests
//	examples/        the standalone emulator and a third-party app that completes the handshake
//
// Imports run one way: user and magerr are leaves; oauth/signature
// (how a request is signed) sits under oauth; acl, oauth and
// integration build the library on them; settings and account stand
// beside; webapi serves the library over HTTP and imports no storage
// backend; emulator adds its controls on webapi and defaults to memstore;
// integrationtest and the examples sit on top. integration/xmlconfig,
// which imports nothing from this module, sits under integration.
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
//	id, err := p.Verify(ctx, r) // errors.Is(err, oauth.ErrSignatureInvalid): 401 "The signature is invalid. Verify and try again."
//
// webapi.NewStack wires the whole stack over one store, for a program that
// embeds Magento's Web API:
//
//	stack, _ := webapi.NewStack(s, webapi.StackConfig{})
//	http.ListenAndServe("127.0.0.1:8080", stack.Server)
//
// And a connector's test harness runs the whole Magento Web API:
//
//	go run ./examples/emulator -addr 127.0.0.1:8080
//
// or, in Go tests, integrationtest.NewServer(t).
package magekit
