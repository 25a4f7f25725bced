package integration

import (
	"strings"
	"time"
)

// Status is an integration's status, with Magento's numbers (docs/magento-behaviour.md §1.2).
type Status int

// Magento's integration statuses. There is no "recalled" status.
const (
	StatusInactive Status = 0
	StatusActive   Status = 1
	// StatusReset ("Reset", Magento's STATUS_RECREATED) marks a config-file
	// integration deleted and recreated because its XML changed.
	StatusReset Status = 2
)

// String returns Magento's label for s.
func (s Status) String() string {
	switch s {
	case StatusInactive:
		return "Inactive"
	case StatusActive:
		return "Active"
	case StatusReset:
		return "Reset"
	}
	return "Unknown"
}

// SetupType says where an integration came from (docs/magento-behaviour.md §1.2).
type SetupType int

// Magento's setup types.
const (
	SetupManual SetupType = 0
	SetupConfig SetupType = 1
)

// Integration is a Magento integration (the integration table, docs/magento-behaviour.md §1.1)
// with its resource grant (docs/magento-behaviour.md §10.2).
type Integration struct {
	ID              int64
	Name            string
	Email           string
	Endpoint        string // "Callback URL" in the admin
	IdentityLinkURL string
	Status          Status
	SetupType       SetupType
	ConsumerID      int64
	// AllResources is the admin form's "Resource Access: All": the single
	// rule Magento_Backend::all. When false, Resources is the Custom list.
	AllResources bool
	Resources    []string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NotSecure reports whether the admin grid marks the integration
// "Integration not secure" (docs/magento-behaviour.md §1.5): its endpoint or identity link URL
// begins with the literal, case-sensitive "http:". It is a warning only.
func (i Integration) NotSecure() bool {
	return strings.HasPrefix(i.Endpoint, "http:") || strings.HasPrefix(i.IdentityLinkURL, "http:")
}

// TokenExchange reports whether activation takes the token-exchange path:
// both the endpoint and the identity link URL are set (docs/magento-behaviour.md §5.1).
func (i Integration) TokenExchange() bool {
	return i.Endpoint != "" && i.IdentityLinkURL != ""
}
