package emulator

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/magekit/magekit/account"
	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/emulator/journal"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/webapi"
)

// The wiring of the browser Admin (package emulator/admin) into the
// Emulator: everything it needs from the Emulator is adapted here.

// newAdmin builds the Emulator's Admin over its integration service,
// admin users, settings and journal.
func (e *Emulator) newAdmin(users account.AdminStore) (*admin.Admin, error) {
	return admin.New(admin.Config{
		BaseURL:      e.baseURL,
		Integrations: e.stack.Service,
		Users:        adminUsers{users},
		Settings:     e.stack.Settings,
		Journal:      adminJournal{e.requests},
		Now:          e.now,
		Logger:       e.log,
	})
}

// isAdmin reports whether r is the Admin's: a path below /admin/ other than
// the success_call_back page, which the Emulator serves to anyone (GET)
// or leaves to the REST server (other methods).
func (e *Emulator) isAdmin(r *http.Request) bool {
	p := r.URL.Path
	return admin.Handles(p) && strings.TrimSuffix(p, "/") != "/"+strings.TrimSuffix(SuccessCallbackPath, "/")
}

// adminUsers checks admin passwords for the Admin.
type adminUsers struct{ users account.AdminStore }

func (u adminUsers) VerifyAdmin(ctx context.Context, username, password string) (admin.User, bool, error) {
	a, err := u.users.AdminByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return admin.User{}, false, nil
	}
	if err != nil {
		return admin.User{}, false, err
	}
	return admin.User{ID: a.ID, Username: a.Username}, !a.Inactive && a.Password.Match(password), nil
}

// OutcomeAdmin is the journal outcome of a request the browser Admin
// answered; Route holds its controller action ("integration/save").
const OutcomeAdmin webapi.Outcome = "admin"

// adminJournal records the Admin's requests in the journal.
type adminJournal struct{ j *journal.Journal }

func (a adminJournal) RecordAdmin(ev admin.Event) {
	entry := journal.Entry{
		Time: ev.Time, Method: journal.Cut(ev.Method, 32), Path: journal.Cut(ev.Path, journal.MaxPath), Route: ev.Action,
		Who: "guest", Outcome: string(OutcomeAdmin), Status: ev.Status, Message: journal.Cut(ev.Message, journal.MaxParam),
	}
	if ev.UserID != 0 {
		entry.Who, entry.UserID = "admin", ev.UserID
	}
	a.j.Add(entry)
}

// Admin returns the browser Admin served under /admin/ (its lockout is the
// one the control routes' current_password check counts toward).
func (e *Emulator) Admin() *admin.Admin { return e.admin }
