// Package emulator is a Magento 2.4.7 store as connector test harnesses
// see it, built on the library: Magento's REST routes and OAuth endpoints
// (a webapi.Server), the control routes under /rest/V1/integrations and
// /rest/V1/emulator that create and activate integrations, change config
// values, set fixtures, set an admin's Google Authenticator secret (under
// Config.TwoFactor) and read the journal; the success_call_back page; the
// browser Admin (package emulator/admin); the health route; and a journal
// of every request answered.
//
// Harness features: fixtures (package emulator/fixture) that match a call on its path parameters,
// query, headers and body, answer in sequences and follow scenario states;
// a journal with filters, request headers and bodies (secrets redacted)
// and a streamed answer (package emulator/journal); [Seed] files; routes of third-party modules from
// their webapi.xml ([LoadExtensions]).
//
// [New] assembles an [Emulator] from a [Config] whose zero value means
// defaults (an in-memory store, the admin user admin / magento123, the base
// URL http://localhost/). The standalone emulator (examples/emulator) and
// package integrationtest are built on it.
//
// Files by concept:
//
//	emulator.go             Config, New, the Emulator and its http.Handler
//	callback.go             the success_call_back page the identity link returns to
//	control.go              the control-route table, the admin check, body readers
//	control_integrations.go /V1/integrations: create, read, update, delete, activate, tokens
//	control_emulator.go     /V1/emulator: config, reset
//	emulator_admin.go       the wiring of the browser Admin
//	health.go               GET /rest/V1/emulator/health
//	stub_serve.go           answering calls with fixtures; /V1/emulator/fixtures and scenarios
//	fixtures.go             fixture files: Emulator.LoadFixtures (package emulator/fixture parses them)
//	seed.go                 seed files: ParseSeed, Seed.Configure, Emulator.ApplySeed
//	extension.go            third-party routes: LoadExtensions from webapi.xml and acl.xml
//	journal_control.go      /V1/emulator/journal: list, count, clear (package emulator/journal keeps it)
//	twofactor.go            /V1/emulator/tfa/google: an admin user's Google Authenticator secret
package emulator
