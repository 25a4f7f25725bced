package admin

import (
	"crypto/subtle"
	"html"
	"html/template"
	"io"
	"net/http"
	"sync"
	"time"
)

// Cookie names: Magento's admin session cookie and the form key cookie of
// the sign-in page.
const (
	sessionCookie   = "admin"
	loginKeyCookie  = "form_key"
	reasonCookie    = "loggedOutReasonCode"
	formKeyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	formKeyLen      = 16 // Magento's form keys: 16 characters of [0-9A-Za-z]
	sessionIDLen    = 32
)

// message is one flash message, Magento's message manager entry. HTML is
// already escaped (controllers escape the names they insert).
type message struct {
	Type string // error, warning, notice, success
	HTML template.HTML
}

// escaped returns a message of type typ showing the plain text.
func escaped(typ, text string) message {
	return message{Type: typ, HTML: template.HTML(html.EscapeString(text))}
}

// session is a signed-in admin.
type session struct {
	id       string
	user     User
	formKey  string
	lastSeen time.Time
	flash    []message
	// restore is the POST of a failed save, shown again by the form
	// (Magento's session form data).
	restore *formData
}

// sessions keeps the signed-in admins, at most max of them: the one seen
// longest ago is dropped first. Sessions are created only after a right
// password, so an anonymous caller cannot grow it.
type sessions struct {
	mu   sync.Mutex
	max  int
	byID map[string]*session
}

func newSessions(max int) *sessions {
	return &sessions{max: max, byID: make(map[string]*session)}
}

// randomString returns n characters of formKeyAlphabet from r.
func randomString(r io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = formKeyAlphabet[int(b[i])%len(formKeyAlphabet)]
	}
	return string(b), nil
}

// create starts a session for u at now.
func (s *sessions) create(r io.Reader, u User, now time.Time) (*session, error) {
	id, err := randomString(r, sessionIDLen)
	if err != nil {
		return nil, err
	}
	key, err := randomString(r, formKeyLen)
	if err != nil {
		return nil, err
	}
	se := &session{id: id, user: u, formKey: key, lastSeen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.byID) >= s.max {
		var oldest *session
		for _, o := range s.byID {
			if oldest == nil || o.lastSeen.Before(oldest.lastSeen) {
				oldest = o
			}
		}
		delete(s.byID, oldest.id)
	}
	s.byID[id] = se
	return se, nil
}

// get returns a copy of the live session id and prolongs it, as Magento's
// admin session is prolonged by every request; an expired one is deleted.
func (s *sessions) get(id string, now time.Time, lifetime time.Duration) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.byID[id]
	if !ok {
		return session{}, false
	}
	if now.Sub(se.lastSeen) > lifetime {
		delete(s.byID, id)
		return session{}, false
	}
	se.lastSeen = now
	return *se, true
}

// delete ends a session.
func (s *sessions) delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

// addFlash queues a message for the next page of session id.
func (s *sessions) addFlash(id string, m message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if se, ok := s.byID[id]; ok && len(se.flash) < 16 {
		se.flash = append(se.flash, m)
	}
}

// takeFlash returns and clears the queued messages.
func (s *sessions) takeFlash(id string) []message {
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.byID[id]
	if !ok {
		return nil
	}
	m := se.flash
	se.flash = nil
	return m
}

// setRestore keeps (or, with nil, drops) the form data of a failed save.
func (s *sessions) setRestore(id string, d *formData) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if se, ok := s.byID[id]; ok {
		se.restore = d
	}
}

// takeRestore returns and clears the kept form data.
func (s *sessions) takeRestore(id string) *formData {
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.byID[id]
	if !ok {
		return nil
	}
	d := se.restore
	se.restore = nil
	return d
}

// reset ends every session.
func (s *sessions) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.byID)
}

// sameKey compares two form keys in constant time; empty never matches.
func sameKey(a, b string) bool {
	return a != "" && len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// sessionLifetime is admin/security/session_lifetime: seconds, at least
// 60 (Magento's backend model refuses less), default 900.
func (a *Admin) sessionLifetime() time.Duration {
	if r, ok := a.cfg.Settings.(ConfigReader); ok {
		if v, ok := r.Value(PathSessionLifetime); ok {
			if n := phpInt(v); n >= 60 {
				return time.Duration(n) * time.Second
			}
		}
	}
	return DefaultSessionLifetime
}

// cookiePath is the path of the Admin's cookies: the base path + "admin".
func (a *Admin) cookiePath() string { return a.basePath + "admin" }

// setSessionCookie sends the session cookie: HttpOnly, SameSite=Strict,
// expiring with the session lifetime.
func (a *Admin) setSessionCookie(w http.ResponseWriter, id string, lifetime time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: a.cookiePath(), MaxAge: int(lifetime / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: a.secure(),
	})
}

// clearCookie deletes the cookie name.
func (a *Admin) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: a.cookiePath(), MaxAge: -1, HttpOnly: name != reasonCookie, SameSite: http.SameSiteStrictMode, Secure: a.secure()})
}

// secure reports whether cookies get the Secure attribute: an https base
// URL.
func (a *Admin) secure() bool { return len(a.base) > 5 && a.base[:6] == "https:" }

// Reset ends every session and clears the lockout counters.
func (a *Admin) Reset() {
	a.sessions.reset()
	a.lockout.Reset()
}
