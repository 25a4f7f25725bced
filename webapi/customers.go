package webapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/user"
	"github.com/magekit/magekit/webapi/internal/wire"
)

// Messages of customer sign-up (Magento_Customer's AccountManagement and
// its EAV validation), exactly as Magento 2.4.7 writes them.
const (
	MsgCustomerExists    = "A customer with the same email address already exists in an associated website."
	MsgPasswordTooLong   = "Please enter a password with at most %1 characters."
	MsgPasswordLength    = "The password needs at least %1 characters. Create a new password and try again."
	MsgPasswordSpaces    = "The password can't begin or end with a space. Verify the password and try again."
	MsgPasswordClasses   = "Minimum of different classes of characters in password is %1. Classes of characters: Lower Case, Upper Case, Digits, Special Characters."
	MsgPasswordIsEmail   = "The password can't be the same as the email address. Create a new password and try again."
	MsgRequiredAttribute = `"%1" is a required value.`
	MsgInvalidEmail      = `"%1" is not a valid email address.`
	MsgTooLong           = `"%1" length must be equal or less than %2 characters.`
)

// maxPasswordLength is AccountManagement::MAX_PASSWORD_LENGTH.
const maxPasswordLength = 256

// createCustomer is AccountManagement::createAccount behind the anonymous
// POST /V1/customers: {"customer": {...}, "password": "..."}. The password,
// when given, is checked first (length, spaces, character classes, not the
// email); then the attributes (first name, last name, email); then the
// email must be free. The answer is the new customer.
func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	body, err := BodyParams(r)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	if !present(body["customer"]) {
		s.WriteError(w, r, magerr.Required("customer"))
		return
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(body["customer"], &fields) // a non-object reads as no fields
	c := account.Customer{
		Email:     strings.TrimSpace(stringParam(fields["email"])),
		FirstName: stringParam(fields["firstname"]),
		LastName:  stringParam(fields["lastname"]),
		GroupID:   1,
		StoreID:   1,
		WebsiteID: 1,
	}
	if present(body["password"]) {
		password := stringParam(body["password"])
		if err := s.checkPassword(password, c.Email); err != nil {
			s.WriteError(w, r, err)
			return
		}
		if c.Password, err = account.NewPassword(password, s.iters); err != nil {
			s.WriteError(w, r, err)
			return
		}
	}
	if err := validateCustomer(c); err != nil {
		s.WriteError(w, r, err)
		return
	}
	c.CreatedAt = s.now().UTC().Truncate(time.Second)
	c.UpdatedAt = c.CreatedAt
	if err := s.users.CreateCustomer(r.Context(), &c); err != nil {
		if errors.Is(err, store.ErrExists) {
			err = magerr.New(magerr.Input, MsgCustomerExists).Wrap(err)
		}
		s.WriteError(w, r, err)
		return
	}
	s.writeAnswer(w, r, customerBody(c))
}

// checkPassword is AccountManagement::checkPasswordStrength followed by the
// check that the password is not the email.
func (s *Server) checkPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n > maxPasswordLength:
		return magerr.New(magerr.Input, MsgPasswordTooLong, strconv.Itoa(maxPasswordLength))
	case n < s.settings.MinPasswordLength():
		return magerr.New(magerr.Input, MsgPasswordLength, strconv.Itoa(s.settings.MinPasswordLength()))
	case strings.TrimSpace(password) != password:
		return magerr.New(magerr.Input, MsgPasswordSpaces)
	}
	var lower, upper, digit, other int
	for _, r := range password {
		switch {
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= '0' && r <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	if required := s.settings.PasswordClasses(); lower+upper+digit+other < required {
		return magerr.New(magerr.Input, MsgPasswordClasses, strconv.Itoa(required))
	}
	if strings.EqualFold(password, email) {
		return magerr.New(magerr.Input, MsgPasswordIsEmail)
	}
	return nil
}

// validateCustomer is the customer entity's EAV validation on save: each
// failed rule's message, substituted, joined by newlines into one input
// error without parameters.
func validateCustomer(c account.Customer) error {
	var msgs []string
	for _, a := range []struct{ label, value string }{{"First Name", c.FirstName}, {"Last Name", c.LastName}} {
		if strings.TrimFunc(a.value, unicode.IsSpace) == "" {
			msgs = append(msgs, magerr.Substitute(MsgRequiredAttribute, []magerr.Param{{Name: "1", Value: a.label}}))
		}
	}
	// The attributes' max_text_length, 255 characters, as
	// Magento\Eav\Model\Attribute\Data\Text::validateValue checks it; the
	// e-mail column holds 255 too. This also bounds what an anonymous
	// sign-up can store.
	for _, a := range []struct{ label, value string }{{"First Name", c.FirstName}, {"Last Name", c.LastName}, {"Email", c.Email}} {
		if utf8.RuneCountInString(strings.TrimSpace(a.value)) > MaxCustomerText {
			msgs = append(msgs, magerr.Substitute(MsgTooLong, []magerr.Param{{Name: "1", Value: a.label}, {Name: "2", Value: strconv.Itoa(MaxCustomerText)}}))
		}
	}
	switch {
	case c.Email == "":
		msgs = append(msgs, magerr.Substitute(MsgRequiredAttribute, []magerr.Param{{Name: "1", Value: "Email"}}))
	case !validEmail(c.Email):
		msgs = append(msgs, magerr.Substitute(MsgInvalidEmail, []magerr.Param{{Name: "1", Value: "Email"}}))
	}
	if len(msgs) == 0 {
		return nil
	}
	return magerr.New(magerr.Input, strings.Join(msgs, "\n"))
}

// MaxCustomerText is the longest first name, last name or e-mail, in
// characters, that customer sign-up accepts.
const MaxCustomerText = 255

// validEmail is a plain check of an address: one '@', a local part, and a
// domain with a dot that neither starts nor ends it.
func validEmail(e string) bool {
	local, domain, ok := strings.Cut(e, "@")
	return ok && local != "" && !strings.ContainsAny(domain, "@ ") && !strings.ContainsRune(local, ' ') &&
		strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// customerMe is CustomerRepository::getById behind GET /V1/customers/me,
// whose customerId is forced to the caller's customer id: a caller that is
// no customer (an admin, an integration with every resource) gets null,
// which no customer has.
func (s *Server) customerMe(w http.ResponseWriter, r *http.Request) {
	caller, _ := CallerFromContext(r.Context())
	if caller.Type != user.Customer {
		s.WriteError(w, r, &magerr.Error{Message: MsgNoSuchEntity, Class: magerr.NoSuchEntity,
			Params: []magerr.Param{{Name: "fieldName", Value: "customerId"}, {Name: "fieldValue", Value: ""}}})
		return
	}
	c, err := s.users.Customer(r.Context(), caller.ID)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.writeAnswer(w, r, customerBody(c))
}

// customerBody is the customer as Magento's CustomerInterface renders on
// REST.
func customerBody(c account.Customer) wire.Object {
	return wire.Object{
		{Key: "id", Value: c.ID},
		{Key: "group_id", Value: c.GroupID},
		{Key: "created_at", Value: c.CreatedAt.UTC().Format(TimeLayout)},
		{Key: "updated_at", Value: c.UpdatedAt.UTC().Format(TimeLayout)},
		{Key: "created_in", Value: "Default Store View"},
		{Key: "email", Value: c.Email},
		{Key: "firstname", Value: c.FirstName},
		{Key: "lastname", Value: c.LastName},
		{Key: "store_id", Value: c.StoreID},
		{Key: "website_id", Value: c.WebsiteID},
		{Key: "addresses", Value: wire.List{}},
		{Key: "disable_auto_group_change", Value: int64(0)},
		{Key: "extension_attributes", Value: wire.Object{{Key: "is_subscribed", Value: false}}},
	}
}
