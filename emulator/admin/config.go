package admin

import (
	"errors"
	"strconv"
	"strings"

	"github.com/magekit/magekit/magerr"
)

// MsgConfigSaved is the success message of Stores › Configuration
// (app/code/Magento/Config/Controller/Adminhtml/System/Config/Save.php).
const MsgConfigSaved = "You saved the configuration."

// fieldKind is how a config field is edited and validated.
type fieldKind uint8

const (
	fieldYesNo  fieldKind = iota // select No (0) / Yes (1)
	fieldDigits                  // required, digits only (validate-digits)
	fieldNumber                  // required, a number ≥ 0 (validate-number)
	fieldOptNum                  // optional, zero or greater (validate-zero-or-greater)
)

// configField is one field of a config group (docs/magento-admin.md §8).
type configField struct {
	Label   string
	Path    string
	Default string
	Kind    fieldKind
	Comment string
	// Restore gives the field a "Use system value" checkbox (canRestore).
	Restore bool
}

// configGroup is one collapsible group of a section.
type configGroup struct {
	ID, Label string
	Fields    []configField
}

// configSection is one Stores › Configuration section.
type configSection struct {
	ID, Label, Tab string
	Groups         []configGroup
}

// configSections are the sections the Admin edits, with Magento's labels,
// ids, paths and defaults (I/etc/adminhtml/system.xml, W/etc/adminhtml/
// system.xml, WS/etc/adminhtml/system.xml, JwtUserToken's system.xml,
// B/etc/adminhtml/system.xml).
var configSections = []configSection{
	{ID: "webapi", Label: "Magento Web API", Tab: "Services", Groups: []configGroup{
		{ID: "webapisecurity", Label: "Web API Security", Fields: []configField{
			{Label: "Allow Anonymous Guest Access", Path: "webapi/webapisecurity/allow_insecure", Default: "0", Kind: fieldYesNo,
				Comment: "This feature applies only to CMS, Catalog and Store APIs. Please consult your developers for details on potential security risks."},
		}},
		{ID: "jwtauth", Label: "JWT Authentication", Fields: []configField{
			{Label: "Customer JWT Expires In", Path: "webapi/jwtauth/customer_expiration", Default: "60", Kind: fieldDigits, Comment: "Minutes."},
			{Label: "Admin User JWT Expires In", Path: "webapi/jwtauth/admin_expiration", Default: "60", Kind: fieldDigits, Comment: "Minutes."},
		}},
	}},
	{ID: "oauth", Label: "OAuth", Tab: "Services", Groups: []configGroup{
		{ID: "access_token_lifetime", Label: "Access Token Expiration", Fields: []configField{
			{Label: "Customer Token Lifetime (hours)", Path: "oauth/access_token_lifetime/customer", Default: "1", Kind: fieldOptNum, Comment: "We will disable this feature if the value is empty.", Restore: true},
			{Label: "Admin Token Lifetime (hours)", Path: "oauth/access_token_lifetime/admin", Default: "4", Kind: fieldOptNum, Comment: "We will disable this feature if the value is empty.", Restore: true},
		}},
		{ID: "cleanup", Label: "Cleanup Settings", Fields: []configField{
			{Label: "Cleanup Probability", Path: "oauth/cleanup/cleanup_probability", Default: "100", Kind: fieldDigits, Comment: "Integer. Launch cleanup in X OAuth requests. 0 (not recommended) - to disable cleanup", Restore: true},
			{Label: "Expiration Period", Path: "oauth/cleanup/expiration_period", Default: "120", Kind: fieldNumber, Comment: "Cleanup entries older than X minutes.", Restore: true},
		}},
		{ID: "consumer", Label: "Consumer Settings", Fields: []configField{
			{Label: "Expiration Period", Path: "oauth/consumer/expiration_period", Default: "300", Kind: fieldNumber, Comment: "Consumer key/secret will expire if not used within X seconds after Oauth token exchange starts.", Restore: true},
			{Label: "OAuth consumer credentials HTTP Post maxredirects", Path: "oauth/consumer/post_maxredirects", Default: "0", Kind: fieldDigits, Comment: "Number of maximum redirects for OAuth consumer credentials Post request.", Restore: true},
			{Label: "OAuth consumer credentials HTTP Post timeout", Path: "oauth/consumer/post_timeout", Default: "5", Kind: fieldNumber, Comment: "Timeout for OAuth consumer credentials Post request within X seconds.", Restore: true},
			{Label: "Allow OAuth Access Tokens to be used as standalone Bearer tokens", Path: "oauth/consumer/enable_integration_as_bearer", Default: "0", Kind: fieldYesNo},
		}},
		{ID: "authentication_lock", Label: "Authentication Locks", Fields: []configField{
			{Label: "Maximum Login Failures to Lock Out Account", Path: "oauth/authentication_lock/max_failures_count", Default: "6", Kind: fieldDigits, Comment: "Maximum Number of authentication failures to lock out account.", Restore: true},
			{Label: "Lockout Time (seconds)", Path: "oauth/authentication_lock/timeout", Default: "1800", Kind: fieldNumber, Comment: "Period of time in seconds after which account will be unlocked.", Restore: true},
		}},
	}},
	{ID: "admin", Label: "Admin", Tab: "Advanced", Groups: []configGroup{
		{ID: "security", Label: "Security", Fields: []configField{
			{Label: "Admin Session Lifetime (seconds)", Path: PathSessionLifetime, Default: "900", Kind: fieldDigits, Comment: "Please enter at least 60 and at most 31536000 (one year)."},
			{Label: "Maximum Login Failures to Lockout Account", Path: PathLockoutFailures, Default: "6", Kind: fieldDigits, Comment: "We will disable this feature if the value is empty."},
			{Label: "Lockout Time (minutes)", Path: PathLockoutThreshold, Default: "30", Kind: fieldDigits},
		}},
	}},
}

// HTMLID is the field's HTML id, <section>_<group>_<field>.
func (f configField) HTMLID() string { return strings.ReplaceAll(f.Path, "/", "_") }

// Field is the field's id within its group, the last part of its path.
func (f configField) Field() string { return f.Path[strings.LastIndex(f.Path, "/")+1:] }

// configView is a section as the template draws it.
type configView struct {
	Section *configSection
	Tabs    []configTab
	Values  map[string]string
}

// configTab is one group of sections in the left column ("Services").
type configTab struct {
	Label    string
	Sections []configSection
}

// configTabs groups the sections by tab, in order.
func configTabs() []configTab {
	var tabs []configTab
	for _, s := range configSections {
		if len(tabs) == 0 || tabs[len(tabs)-1].Label != s.Tab {
			tabs = append(tabs, configTab{Label: s.Tab})
		}
		tabs[len(tabs)-1].Sections = append(tabs[len(tabs)-1].Sections, s)
	}
	return tabs
}

// section returns the section named id.
func section(id string) (*configSection, bool) {
	for i := range configSections {
		if configSections[i].ID == id {
			return &configSections[i], true
		}
	}
	return nil, false
}

// configIndex is system_config/index: the Web API section.
func (a *Admin) configIndex(q *request) {
	a.redirect(q, a.URL("admin/system_config/edit/section/webapi/"))
}

// configEdit is system_config/edit/section/S.
func (a *Admin) configEdit(q *request) {
	s, ok := section(q.param("section"))
	if !ok {
		a.notFound(q)
		return
	}
	a.renderPage(q, "config", pageData{Title: s.Label + " / Configuration", Heading: "Configuration", Menu: "config",
		Config: &configView{Section: s, Tabs: configTabs(), Values: a.cfg.Settings.All()}})
}

// checkField validates one posted value as the field's client-side rule
// would, returning Magento's validation message or "".
func checkField(f configField, v string) string {
	switch f.Kind {
	case fieldYesNo:
		if v != "0" && v != "1" {
			return "Please select an option."
		}
	case fieldDigits:
		if v == "" {
			return "This is a required field."
		}
		if strings.Trim(v, "0123456789") != "" {
			return "Please enter a valid number in this field."
		}
		if f.Path == PathSessionLifetime {
			if n, _ := strconv.Atoi(v); n < 60 || n > 31536000 {
				return "Please enter at least 60 and at most 31536000 (one year)."
			}
		}
	case fieldNumber, fieldOptNum:
		if v == "" && f.Kind == fieldOptNum {
			return ""
		}
		if n, err := strconv.ParseFloat(v, 64); err != nil || n < 0 {
			return "Please enter a number 0 or greater in this field."
		}
	}
	return ""
}

// configSave is system_config/save/section/S: every field of the section,
// "Use system value" restoring the default, stored together through the
// same Settings the control routes write.
func (a *Admin) configSave(q *request) {
	s, ok := section(q.param("section"))
	if !ok {
		a.notFound(q)
		return
	}
	back := a.URL("admin/system_config/edit/section/" + s.ID + "/")
	values := make(map[string]string)
	for _, g := range s.Groups {
		for _, f := range g.Fields {
			prefix := "groups[" + g.ID + "][fields][" + f.Field() + "]"
			v := strings.TrimSpace(q.r.PostForm.Get(prefix + "[value]"))
			if q.r.PostForm.Get(prefix+"[inherit]") == "1" {
				v = f.Default
			} else if !q.r.PostForm.Has(prefix + "[value]") {
				continue
			}
			if msg := checkField(f, v); msg != "" {
				a.flash(q, "error", f.Label+": "+msg)
				a.redirect(q, back)
				return
			}
			values[f.Path] = v
		}
	}
	if err := a.cfg.Settings.Set(values); err != nil {
		var me *magerr.Error
		if errors.As(err, &me) {
			a.flash(q, "error", me.Text())
		} else {
			a.flash(q, "error", MsgInternalError)
		}
		a.redirect(q, back)
		return
	}
	a.flash(q, "success", MsgConfigSaved)
	a.redirect(q, back)
}
