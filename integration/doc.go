// Package integration is Magento's Integration model and its lifecycle:
// create, update, read, delete, activate (by token exchange or directly),
// reauthorize, resource grants, and provisioning from integration XML.
//
// An [Integration] carries every column of Magento's integration table
// (docs/magento-behaviour.md §1.1) and its grant: All (the single rule Magento_Backend::all) or a
// Custom list of ACL resource ids (docs/magento-behaviour.md §10.2). The [Service] enforces
// Magento's rules (docs/magento-behaviour.md §1.3–§1.4, §5, §6) over a pluggable [Store]; every
// multi-record change (integration + consumer + token + grant) runs in one
// store transaction and commits whole or not at all.
//
// Errors a client may see are *magerr.Error values with Magento's template
// and parameters, for example `The integration with name "%1" exists.`;
// storage failures are wrapped store sentinels.
//
// # Usage
//
//	s, _ := memstore.New()
//	svc := integration.NewService(s, integration.Config{StoreBaseURL: "https://shop.example/"})
//	in, err := svc.Create(ctx, integration.Integration{Name: "ERP", AllResources: true})
//	act, err := svc.Activate(ctx, in.ID) // direct path: act.Credentials holds the four values
//
// With an endpoint and an identity link URL, [Service.Activate] sends the
// credential POST and returns the identity link; the third party then
// completes /oauth/token/request and /oauth/token/access against an
// [oauth.Provider] whose Config.OnAccess is [Service.OnAccess], which makes
// the integration Active in the same transaction as the token exchange.
//
// # Provisioning from XML
//
// Config-based integrations (docs/magento-behaviour.md §12) are declared in a module's
// etc/integration.xml, or in the legacy etc/integration/config.xml and
// api.xml pair. Package [xmlconfig] reads them: [xmlconfig.ParseConsolidated] and [xmlconfig.ParseLegacy] parse and merge them,
// checking Magento's XSDs and returning one *[xmlconfig.Error] per violation;
// [xmlconfig.LoadDir] finds them in an fs.FS. [Service.Provision] then does what
// setup:upgrade does: a new name is created Inactive, its resources granted
// with their ancestors; an unchanged one is left alone; a changed one is
// deleted and created again with status Reset and a new consumer, and
// [ProvisionResult.Notice] returns the admin's system message.
// [Service.ProvisionLegacy] creates or updates legacy integrations in place
// and never resets them. Config integrations refuse Update and Delete.
//
//	consolidated, legacy, err := xmlconfig.LoadDir(os.DirFS("app/code"))
//	res, err := svc.Provision(ctx, consolidated)
//	fmt.Println(res) // "AcmeSync": created (id 1)
//
// [Service.ProvisionDir] does both kinds in one transaction.
package integration
