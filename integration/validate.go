package integration

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/magekit/magekit/acl"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth"
)

// Field limits of the integration table and the admin form (docs/magento-behaviour.md §1.1, §1.4).
const (
	maxName  = 255
	maxEmail = 254
	maxURL   = 255
)

// validate checks what the admin form and the service check before a save
// (docs/magento-behaviour.md §1.4), and the grant against tree. It returns every failure at once,
// joined as Magento's aggregate input error.
func validate(in Integration, tree *acl.Tree) error {
	var errs []*magerr.Error
	// text checks one text field: valid UTF-8 (MySQL refuses anything else
	// in a utf8mb4 column) and at most limit characters.
	text := func(field, v string, limit int) bool {
		switch {
		case !utf8.ValidString(v):
			errs = append(errs, invalidText(field))
		case utf8.RuneCountInString(v) > limit:
			errs = append(errs, tooLong(field, limit))
		default:
			return true
		}
		return false
	}
	if strings.TrimSpace(in.Name) == "" {
		errs = append(errs, magerr.Required("name"))
	} else {
		text("name", in.Name, maxName)
	}
	if in.Email != "" && text("email", in.Email, maxEmail) && !validEmail(in.Email) {
		errs = append(errs, magerr.New(magerr.Input, MsgInvalidEmail))
	}
	if in.Endpoint != "" && text("endpoint", in.Endpoint, maxURL) && !validURL(in.Endpoint) {
		errs = append(errs, magerr.New(magerr.Input, MsgInvalidEndpoint))
	}
	if in.IdentityLinkURL != "" && text("identity_link_url", in.IdentityLinkURL, maxURL) && !validURL(in.IdentityLinkURL) {
		errs = append(errs, magerr.New(magerr.Input, MsgInvalidLink))
	}
	if !in.AllResources {
		for _, id := range in.Resources {
			if _, ok := tree.Resource(id); !ok && id != acl.All {
				errs = append(errs, magerr.New(magerr.Input, MsgUnknownResource, id))
			}
		}
	}
	if e := magerr.Join(errs...); e != nil {
		return e
	}
	return nil
}

// validURL is Magento's URL validator: an absolute URL with scheme http or
// https and a host.
func validURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// validEmail accepts a bare address (no display name) with a dotted domain,
// the shape of the admin form's validate-email rule.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// Credentials are the four values a third party signs with (the "Integration
// Tokens for Extensions" dialog, docs/magento-behaviour.md §5.3). AccessToken and
// AccessTokenSecret are empty until an access token exists.
type Credentials struct {
	ConsumerKey       string
	ConsumerSecret    string
	AccessToken       string
	AccessTokenSecret string
}

// validate checks that every credential has the generated shape.
func (c Credentials) validate() error {
	var errs []*magerr.Error
	for _, f := range [...]struct{ name, value string }{
		{"consumer_key", c.ConsumerKey}, {"consumer_secret", c.ConsumerSecret},
		{"access_token", c.AccessToken}, {"access_token_secret", c.AccessTokenSecret},
	} {
		if !oauth.ValidCredential(f.value) {
			errs = append(errs, magerr.Named(magerr.Input, MsgInvalidCredential, "fieldName", f.name))
		}
	}
	if e := magerr.Join(errs...); e != nil {
		return e
	}
	return nil
}
