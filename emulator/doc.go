// Package emulator is a Magento 2.4.7 store as connector test harnesses
// see it, built on the library: Magento's REST routes and OAuth endpoints
// (a webapi.Server), the control routes under /rest/V1/integrations and
// /rest/V1/emulator that create and activate integrations, change config
// values, set fixtures, set an admin's Google Authenticator secret (under
// Config.TwoFactor) and read the journal, the success_call_back page, and
// a journal of every request answered.
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
//	control_emulator.go     /V1/emulator: config, fixtures, journal, reset
//	fixtures.go             fixture files: ParseFixtures, Emulator.LoadFixtures
//	journal.go              the journal ring and its entries
//	redact.go               secrets out of journaled queries and base strings
//	twofactor.go            /V1/emulator/tfa/google: an admin user's Google Authenticator secret
package emulator
