// Package settings holds the Magento store configuration that the REST
// surface, the OAuth provider and the integration service read: config
// paths (oauth/consumer/expiration_period, webapi/webapisecurity/
// allow_insecure, ...) with Magento 2.4.7's defaults from each module's
// etc/config.xml, validated on write, read without a lock on the request
// hot path.
//
// One [Settings] is shared by the whole stack; webapi.NewStack wires its
// typed accessors into oauth.Config and integration.Config, and the
// emulator's PUT /rest/V1/emulator/config changes it at run time.
package settings
