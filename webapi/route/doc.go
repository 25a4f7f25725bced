// Package route is Magento 2.4.7's REST route table and router: the 431
// routes of the merged etc/webapi.xml of Magento Open Source 2.4.7-p3
// (magento-2.4.7-routes.json, embedded; docs/magento-behaviour.md §10.5),
// each with its ACL resource refs, https flag, forced parameters and the
// service method's required parameters; the 31 routes "Allow Anonymous
// Guest Access" opens (docs/magento-behaviour.md §11); and [Table], the
// router that picks a route for a method and path exactly as
// Webapi\Controller\Rest\Router does. Package webapi serves the table.
//
// # The embedded route table
//
// magento-2.4.7-routes.json in this directory holds the 431 REST routes of
// Magento Open Source 2.4.7-p3: every etc/webapi.xml (36 files) merged in
// module order, as read from the public GitHub repository
// AbdelhamidYousef/vanilla-magento at commit
// ae09662c7268f96a5e5af11402f0b1e556a172f6, a Composer install of
// magento/product-community-edition 2.4.7-p3 (docs/magento-behaviour.md,
// "Embedded data", says how they were merged), trimmed to method, url,
// resources, secure, forcedParameters and
// service (the route's <service class method>). Each route's "required"
// lists the parameters of that service method which have no default
// value, in declaration order, read from the method's signature in the
// service interface of the same install (or the parent interface that
// declares it), as Magento's MethodsMap reflects it
// (docs/magento-fidelity.md §2).
package route
