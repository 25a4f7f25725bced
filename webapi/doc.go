// Package webapi is a Magento-compatible REST Web API: the HTTP surface
// that connector test harnesses, in any language, run instead of a
// Magento 2.4.7 store. A call that Magento accepts is accepted here; a call
// that Magento refuses is refused here with the same status and message.
//
// A [Server] serves every route of Magento's route table under /rest/V1,
// /rest/<store_code>/V1 and /rest/all/V1 (docs/magento-behaviour.md §10.5), with Magento's
// matcher: an exact URL first, else the last pattern in string order that
// matches, each ":name" taking one path segment. Each call goes through
// Magento's checks in Magento's order (Webapi\Controller\Rest and
// RequestValidator):
//
//  1. the Accept header must name a type a renderer takes (406);
//  2. the method must be GET, POST, PUT or DELETE (405);
//  3. the first segment after /rest is removed only when it is a store
//     view's code ([Config.StoreCodes], default "default") or "all"; the
//     path must then be a versioned service path (400 "Specified request
//     cannot be processed.", docs/magento-fidelity.md §1) and match a route
//     (404 "Request does not match any route.");
//  4. the user context (docs/magento-behaviour.md §7.1): a Bearer admin or customer token, an
//     integration's access token as Bearer when
//     oauth/consumer/enable_integration_as_bearer is on (docs/magento-behaviour.md §7.5), an
//     OAuth 1.0a signature verified by the oauth.Provider, whose failure is
//     the answer (docs/magento-behaviour.md §7.2–§7.4), else a guest; an integration is the
//     caller only while Active;
//  5. the route's resource refs, all of them, against the caller's ACL role
//     (docs/magento-behaviour.md §10.3), with webapi/webapisecurity/allow_insecure opening the 31
//     catalog, CMS and store routes of [route.Guests] (docs/magento-behaviour.md §11) — 401 "The
//     consumer isn't authorized to access %resources.";
//  6. https for secure routes (400 "Operation allowed only in HTTPS");
//  7. the body of a POST or PUT, read as Magento reads it: Content-Type
//     present, well formed, UTF-8, JSON or XML, and decodable (400);
//  8. the service method's parameters without a default value
//     ([Route.Required]) must be given by the path, the query or the body,
//     the route's forced parameters written over them: 400 `"%fieldName"
//     is required. Enter and try again.` (docs/magento-fidelity.md §2). A
//     forced customer or cart id is null for a caller that is not a
//     customer, so an admin on a "self" route is refused here (§3).
//
// [Config.TwoFactor] enables Magento_TwoFactorAuth with Google
// Authenticator forced: the admin token route sends the caller to the
// provider routes, and POST /V1/tfa/provider/google/authenticate issues
// the token for a valid TOTP code (package twofactor; docs/magento-fidelity.md §5).
//
// A route whose refs are all "anonymous" skips steps 4 and 5, as Magento's
// guest plugin answers before any user context is read: no credential is
// checked and no nonce is spent.
//
// An authorised call answers the route's [Fixture], else its handler
// ([Server.Handle]), else 200 with a JSON note that no fixture is set. A
// fixture is rendered as Magento renders a service's answer
// ([Server.WriteFixture]): filtered by the fields query parameter, in XML
// when the Accept header asks for it.
// Built in are Magento's token services (docs/magento-behaviour.md §13): POST
// /V1/integration/admin/token and /V1/integration/customer/token issue
// HS256 JWTs with Magento's claims, key derivation, lifetimes and lockout;
// POST /V1/customers signs a customer up, GET /V1/customers/me answers
// the calling customer and POST
// /V1/integration/customer/revoke-customer-token revokes its tokens.
// /oauth/token/request and /oauth/token/access are answered by the
// oauth.Provider (Provider.ServeRequestToken, ServeAccessToken).
//
// Errors are rendered as Magento's REST error processor renders them (docs/magento-behaviour.md
// §7.4): {"message": template, "parameters": [...] or {...}}, the aggregate
// form with "errors", internal errors as a 500 with a report id; JSON as
// PHP's json_encode writes it, or XML as Magento's renderer writes it when
// the Accept header prefers XML.
//
// The Server reads the live configuration of package settings, the admin
// users and customers of package account, and takes the signature profile
// and the TLS offloader header from the oauth.Provider it is given. It
// imports no storage backend: the caller brings the store.
//
// # Usage
//
// [NewStack] is the way to embed the whole stack: it wires a store, one
// settings.Settings, the integration.Service, the oauth.Provider and the
// Server together (the settings' accessors into the Provider and the
// Service, the Service's OnAccess into the Provider):
//
//	st, _ := memstore.New()
//	users := account.NewMemory()
//	pw, _ := account.NewPassword("magento123", 0)
//	_ = users.CreateAdmin(ctx, &account.AdminUser{Username: "admin", Password: pw})
//	stack, err := webapi.NewStack(st, webapi.StackConfig{Server: webapi.Config{Users: users}})
//	_ = stack.Server.SetFixture(webapi.Fixture{Method: "GET", URL: "/V1/products/:sku", Body: json.RawMessage(`{"sku":"24-MB01"}`)})
//	http.ListenAndServe("127.0.0.1:8080", stack.Server)
//
// [New] builds a Server alone from parts the caller wired.
//
// # Extending
//
// A host such as package emulator adds routes of its own by appending them to
// route.Default() in Config.Routes (package webapi/route); they are matched and checked like
// Magento's. [Server.Handle] attaches a handler to any route; handlers read
// the caller with [CallerFromContext] and answer errors with
// [Server.WriteError]. Config.Observer sees every request once answered:
// method, path, route, caller, [Outcome], status, the error, and the
// server's signature base string when a signature did not match.
// [BodyParams] reads a POST or PUT body as Magento reads it, and
// [Server.CheckFixture] checks a fixture without setting it.
//
// Files: server.go and stack.go (construction), serve.go (the request
// path), auth.go and caller.go (user contexts), body.go and negotiate.go
// (bodies and Accept), errors.go (Magento's error bodies), required.go
// (required parameters), fixtures.go (the routes' answers),
// tokenservice.go and customers.go (the token services and customer
// sign-up), observe.go (events). internal/wire writes and reads the wire
// formats, internal/jwtauth the admin and customer tokens, internal/lockout
// the sign-in throttler; package webapi/route holds Magento's route table
// and router, package twofactor the Google Authenticator state.
package webapi
