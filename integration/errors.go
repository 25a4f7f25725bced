package integration

import (
	"strconv"

	"github.com/magekit/magekit/magerr"
)

// Magento's messages (docs/magento-behaviour.md §1.3, §1.4, §2.2, §5.2, §6.2). Templates are kept
// exactly; parameters travel beside them in the *magerr.Error. The last
// five are magekit's own, for checks Magento leaves to its database or its
// admin form's JavaScript: they have Magento's shape but not its words.
const (
	MsgNameExists        = `The integration with name "%1" exists.`
	MsgNotFound          = `The integration with ID "%1" doesn't exist.`
	MsgConfigEdit        = `The integrations created in the config file can't be edited.`
	MsgConfigDelete      = `Uninstall the extension to remove integration '%1'.`
	MsgInvalidLink       = `Invalid Identity Link URL`
	MsgPostFailed        = `The attempt to post data to consumer failed due to an unexpected error. Please try again later.`
	MsgConsumerFailed    = `The oAuth consumer account couldn't be created due to an unexpected error. Please try again later.`
	MsgInvalidID         = `Integration ID is not specified or is invalid.`
	MsgInvalidEndpoint   = `Invalid Callback URL`
	MsgInvalidEmail      = `Please enter a valid email address (Ex: johndoe@domain.com).`
	MsgTooLong           = `"%fieldName" is more than %max characters long.`
	MsgUnknownResource   = `The resource "%1" is not defined in the ACL tree.`
	MsgNoAccessToken     = `The integration with ID "%1" has no access token.`
	MsgInvalidCredential = `"%fieldName" must be 32 characters of [0-9a-z].`
	MsgInvalidText       = `"%fieldName" is not valid UTF-8 text.`
)

// The Service's errors that callers branch on. Match them with errors.Is,
// which compares class and template ([magerr.Error.Is]), whatever the
// parameters: errors.Is(err, integration.ErrNotFound) for any id. Never
// change them.
var (
	// ErrNameExists: another integration has the name (400).
	ErrNameExists = magerr.New(magerr.Input, MsgNameExists)
	// ErrNotFound: no integration has the id (404).
	ErrNotFound = magerr.New(magerr.NoSuchEntity, MsgNotFound)
	// ErrConfigEdit: the integration was provisioned from a config file
	// and cannot be edited (400).
	ErrConfigEdit = magerr.New(magerr.Input, MsgConfigEdit)
	// ErrConfigDelete: the integration was provisioned from a config file
	// and cannot be deleted (400).
	ErrConfigDelete = magerr.New(magerr.Input, MsgConfigDelete)
	// ErrPostFailed: the credential POST to the endpoint failed (400).
	ErrPostFailed = magerr.New(magerr.Input, MsgPostFailed)
	// ErrUnknownResource: a resource the ACL tree does not define (400).
	ErrUnknownResource = magerr.New(magerr.Input, MsgUnknownResource)
)

func notFound(id int64) *magerr.Error {
	return magerr.New(magerr.NoSuchEntity, MsgNotFound, strconv.FormatInt(id, 10))
}

func invalidText(field string) *magerr.Error {
	return magerr.Named(magerr.Input, MsgInvalidText, "fieldName", field)
}

func tooLong(field string, limit int) *magerr.Error {
	return &magerr.Error{Message: MsgTooLong, Class: magerr.Input, Params: []magerr.Param{
		{Name: "fieldName", Value: field}, {Name: "max", Value: strconv.Itoa(limit)},
	}}
}
