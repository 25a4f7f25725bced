// Package admin is Magento 2.4.7's Admin for integrations, in the browser:
// the part of a connector's onboarding that a store administrator clicks
// through, served by the emulator below Magento's default backend path
// /admin/.
//
//   - Sign-in with the emulator's admin user, a session cookie (HttpOnly,
//     SameSite=Strict, admin/security/session_lifetime), sign-out, and a
//     form key on every POST. Wrong passwords count toward the admin-user
//     lockout ([Lockout]), which the "Your Password" check shares.
//   - System › Extensions › Integrations: the grid (filter, sort, paging,
//     the "Integration not secure" label and the HTTPS notice), New, Edit
//     and the read-only View of config-file integrations, the resource tree
//     of the embedded ACL, Save and Save & Activate, Delete.
//   - Activate and Reauthorize: the permissions dialog; on the direct path
//     the four credentials; on the token exchange the credential POST, then
//     the popup at the identity link with oauth_consumer_key and
//     success_call_back, and the grid once the popup closes. The
//     integration becomes Active only when the third party completes
//     /oauth/token/access.
//   - Stores › Configuration: the Magento Web API section (Allow Anonymous
//     Guest Access, JWT lifetimes), the OAuth section and the admin
//     security settings.
//
// Every rule lives in the domain packages: the Admin calls the same
// integration.Service and settings as the emulator's control routes, so
// what it does shows there and in the journal. Pages are html/template
// with a stylesheet and a little plain JavaScript embedded in the binary;
// element ids, names and classes are Magento's (docs/magento-admin.md §10),
// so a browser test written against a real Magento Admin drives this one
// too.
//
// # Usage
//
// The emulator mounts it; a host of its own needs the service, its admin
// users and its settings:
//
//	a, err := admin.New(admin.Config{
//		BaseURL:      "http://127.0.0.1:8080/",
//		Integrations: svc,      // *integration.Service
//		Users:        users,    // checks admin passwords
//		Settings:     settings, // All and Set, as PUT /rest/V1/emulator/config
//	})
//	mux.Handle("/admin/", a)
//
// The facts of Magento this package follows are in docs/magento-admin.md,
// section by section.
package admin
