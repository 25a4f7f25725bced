package webapi

import (
	"encoding/json"
	"iter"
	"net/http"
	"strings"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi/route"
)

// missingParams is Magento's check of a service method's parameters
// (Webapi\Controller\Rest\InputParamsResolver::getInputData, then
// Framework\Webapi\ServiceInputProcessor::process; docs/magento-fidelity.md
// §2): the input is the body of a POST or PUT, the query and the path
// variables, with the route's forced parameters written over it
// (ParamsOverrider::override), and each parameter without a default value
// must be set (PHP's isset: present and not null) under its camelCase or
// snake_case name. It returns nil when none is missing, the
// `"%fieldName" is required. Enter and try again.` error for one, and
// Magento's aggregate of them, in the method's order, for several.
//
// A forced "%customer_id%", "%cart_id%" or other customer placeholder is
// null for a caller that is not a customer (ParamOverriderCustomerId and
// its siblings), so such a caller of a "self" route that passed the ACL
// check (an admin, an integration with all resources) is refused here for
// the missing customer or cart id.
func missingParams(rt *route.Entry, rawQuery string, body map[string]json.RawMessage, caller Caller) *magerr.Error {
	if len(rt.Required) == 0 {
		return nil
	}
	var missing []*magerr.Error
	for i, name := range rt.Required {
		if !inputSet(rt, name, rt.RequiredSnake()[i], rawQuery, body, caller) {
			missing = append(missing, magerr.Required(name))
		}
	}
	return magerr.Join(missing...)
}

// scalarParams are, for the routes whose service the Server runs itself,
// the parameters declared as a string, in the method's order:
// AdminTokenServiceInterface and CustomerTokenServiceInterface::
// createAdminAccessToken/createCustomerAccessToken (username, password),
// AccountManagementInterface::createAccount (password, redirectUrl, after
// the customer), Google\Authenticate::createAdminAccessToken (username,
// password, otp).
func scalarParams(rt *route.Entry) []string {
	if rt.Method != http.MethodPost {
		return nil
	}
	switch rt.URL {
	case "/V1/integration/admin/token", "/V1/integration/customer/token":
		return []string{"username", "password"}
	case "/V1/customers":
		return []string{"password", "redirectUrl"}
	case "/V1/tfa/provider/google/authenticate":
		return []string{"username", "password", "otp"}
	}
	return nil
}

// MsgStringExpected is Magento's error for an array where a string is
// declared (TypeProcessor::processSimpleAndAnyType), as
// ServiceInputProcessor::process rethrows it: substituted, without
// parameters.
const MsgStringExpected = `The "array" value's type is invalid. The "string" type was expected. Verify and try again.`

// scalarTypeError is ServiceInputProcessor::process converting each
// parameter the body sets (under its name, or its snake_case name): a
// string parameter given a JSON array or object fails at once, inside the
// loop, so before any missing parameter is reported.
func scalarTypeError(rt *route.Entry, body map[string]json.RawMessage) *magerr.Error {
	for _, name := range scalarParams(rt) {
		raw := body[name]
		if !present(raw) {
			raw = body[route.SnakeCase(name)]
		}
		if present(raw) && (raw[0] == '[' || raw[0] == '{') {
			return &magerr.Error{Message: MsgStringExpected, Class: magerr.Webapi, Code: http.StatusBadRequest}
		}
	}
	return nil
}

// inputSet reports whether the request's input sets name or snake.
func inputSet(r *route.Entry, name, snake, rawQuery string, body map[string]json.RawMessage, caller Caller) bool {
	for _, key := range [2]string{name, snake} {
		if set, forced := forcedSet(r, key, rawQuery, body, caller); forced {
			if set {
				return true
			}
			continue
		}
		if present(body[key]) || r.HasVariable(key) || querySets(rawQuery, key) {
			return true
		}
	}
	return false
}

// forcedSet reports whether a forced parameter is written at the top-level
// key, and whether the value it writes is set. Magento writes a forced
// parameter under its camelCase name when the input has that name, else
// under the name as declared; a dotted name writes inside an array, which
// is set.
func forcedSet(r *route.Entry, key, rawQuery string, body map[string]json.RawMessage, caller Caller) (set, forced bool) {
	for decl, value := range r.ForcedParameters {
		top, _, nested := strings.Cut(decl, ".")
		target := top
		if camel := route.CamelCase(top); camel != top && (present(body[camel]) || r.HasVariable(camel) || querySets(rawQuery, camel)) {
			target = camel
		}
		if target != key {
			continue
		}
		return nested || overriddenSet(value, caller), true
	}
	return false, false
}

// overriddenSet reports whether a forced value is not null for caller: the
// customer placeholders (Magento's ParamOverrider* classes) are null for
// any caller that is not a customer; other values are literals.
func overriddenSet(value string, caller Caller) bool {
	switch value {
	case "%customer_id%", "%cart_id%", "%customer_group_id%", "%customer_website_id%", "%customer_store_id%":
		return caller.Type == user.Customer
	}
	return true
}

// querySets reports whether the query sets the parameter key as PHP's
// parse_str reads it: the name before a "[...]" suffix, with '.' and ' '
// read as '_'. Any value, the empty one included, is set.
func querySets(rawQuery, key string) bool {
	for range queryPairs(rawQuery, key) {
		return true
	}
	return false
}

// queryPairs yields, in order, the name (decoded) and the raw value of
// each pair of the query whose name parse_str reads as the variable key.
func queryPairs(rawQuery, key string) iter.Seq2[string, string] {
	return func(yield func(name, value string) bool) {
		if key == "" {
			return
		}
		for pair := range strings.SplitSeq(rawQuery, "&") {
			name, value, _ := strings.Cut(pair, "=")
			if name == "" {
				continue
			}
			// A name whose first byte can neither be nor decode to
			// key's first byte, after parse_str drops leading spaces,
			// is not key: most names are told apart without decoding.
			if c := name[0]; c != key[0] && c != '%' && c != '+' && c != ' ' {
				continue
			}
			if strings.IndexByte(name, '%') >= 0 || strings.IndexByte(name, '+') >= 0 {
				name = route.URLDecode(name)
			}
			if phpQueryNameIs(name, key) && !yield(name, value) {
				return
			}
		}
	}
}

// phpQueryName is the top-level variable name parse_str gives a query
// name, byte by byte as PHP reads it: leading spaces dropped, the part
// before a '[' that a ']' closes, and '.', ' ' and an unclosed '[' turned
// into '_'.
func phpQueryName(n string) string {
	n = strings.TrimLeft(n, " ")
	if i := strings.IndexByte(n, '['); i > 0 && strings.IndexByte(n[i:], ']') > 0 {
		n = n[:i]
	}
	b := []byte(n)
	for i, c := range b {
		if c == '.' || c == ' ' || c == '[' {
			b[i] = '_'
		}
	}
	return string(b)
}

// phpQueryNameIs reports whether phpQueryName(n) == key without building
// the name.
func phpQueryNameIs(n, key string) bool {
	n = strings.TrimLeft(n, " ")
	if i := strings.IndexByte(n, '['); i > 0 && strings.IndexByte(n[i:], ']') > 0 {
		n = n[:i]
	}
	if len(n) != len(key) {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c == '.' || c == ' ' || c == '[' {
			c = '_'
		}
		if c != key[i] {
			return false
		}
	}
	return true
}
