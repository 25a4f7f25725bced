package xmlconfig

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// maxColumn is the length, in characters, of the integration table's
// varchar(255) columns (docs/magento-behaviour.md §1.1).
const maxColumn = 255

// Check checks merged entries, of either kind, against the XSD rules they
// share once merged (the e-mail is required in both) and the lengths of
// the integration table's columns, and refuses a name given twice. It
// returns one *[Error] per violation, joined, or nil. The Provision
// methods of integration.Service call it before they change anything.
func Check(list []Integration) error {
	var errs []error
	fail := func(name, format string, args ...any) {
		errs = append(errs, &Error{Integration: name, Rule: fmt.Sprintf(format, args...)})
	}
	seen := make(map[string]bool, len(list))
	for _, ci := range list {
		n := ci.Name
		switch {
		case seen[n]:
			fail(n, "given more than once")
			continue
		case utf8.RuneCountInString(n) < 2:
			fail(n, "name %s is shorter than 2 characters", clip(n))
		}
		seen[n] = true
		if !emailPattern.MatchString(ci.Email) {
			fail(n, "email %s does not match %s", clip(ci.Email), ruleEmail)
		}
		for _, u := range [...]struct{ field, value string }{{"endpoint_url", ci.Endpoint}, {"identity_link_url", ci.IdentityLinkURL}} {
			if u.value != "" && utf8.RuneCountInString(collapse(u.value)) < 4 {
				fail(n, "%s %s is shorter than 4 characters", u.field, clip(u.value))
			}
		}
		for _, f := range [...]struct{ field, value string }{{"name", n}, {"email", ci.Email},
			{"endpoint_url", ci.Endpoint}, {"identity_link_url", ci.IdentityLinkURL}} {
			if utf8.RuneCountInString(f.value) > maxColumn {
				fail(n, "%s is longer than %d characters, the size of its column", f.field, maxColumn)
			}
		}
		for _, r := range ci.Resources {
			if !resourcePattern.MatchString(r) {
				fail(n, "resource name %s does not match %s", clip(r), ruleResource)
			}
		}
	}
	return errors.Join(errs...)
}
