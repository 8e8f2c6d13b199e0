package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// cookieName is the session cookie; it is scoped to /admin.
const cookieName = "rfa_admin"

// sessionTTL is how long a login lasts: a race day's shift and more.
const sessionTTL = 16 * time.Hour

// session is a logged-in organizer. It lives in the cookie, signed with
// a key derived from ADMIN_TOKEN, so it survives a restart of the bot
// and changing ADMIN_TOKEN ends every session.
type session struct {
	// Name is who the organizer said they are at login; the audit log
	// records their actions as "dashboard:<Name>".
	Name string `json:"n"`
	Lang string `json:"l"`
	// Nonce tells sessions apart: the CSRF token is derived from it, and
	// logging out revokes it.
	Nonce   string `json:"i"`
	Expires int64  `json:"e"`
}

// admin is the organizer as the audit log names them.
func (s session) admin() string { return "dashboard:" + s.Name }

// key is the signing key of sessions and CSRF tokens.
func (s *Server) key() []byte {
	k := sha256.Sum256([]byte("rfabot dashboard\x00" + s.Token))
	return k[:]
}

func (s *Server) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, s.key())
	m.Write([]byte(strings.Join(parts, "\x00")))
	return m.Sum(nil)
}

// tokenOK compares a token typed or sent with ADMIN_TOKEN in constant
// time (both hashed first, so the length does not show either).
func (s *Server) tokenOK(token string) bool {
	a, b := sha256.Sum256([]byte(token)), sha256.Sum256([]byte(s.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// csrf is the session's CSRF token, which every form carries.
func (s *Server) csrf(sess session) string {
	return base64.RawURLEncoding.EncodeToString(s.mac("csrf", sess.Nonce))
}

func (s *Server) csrfOK(sess session, token string) bool {
	return token != "" && hmac.Equal([]byte(token), []byte(s.csrf(sess)))
}

// newSession starts a session for name speaking lang.
func (s *Server) newSession(name, lang string) session {
	b := make([]byte, 16)
	rand.Read(b)
	return session{Name: name, Lang: lang, Nonce: base64.RawURLEncoding.EncodeToString(b), Expires: s.now().Add(sessionTTL).Unix()}
}

// setCookie writes sess into the session cookie: HttpOnly, SameSite
// Strict, Secure when the dashboard is served over https.
func (s *Server) setCookie(w http.ResponseWriter, sess session) {
	body, _ := json.Marshal(sess)
	v := base64.RawURLEncoding.EncodeToString(body)
	sig := base64.RawURLEncoding.EncodeToString(s.mac("session", v))
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: v + "." + sig, Path: "/admin", Expires: time.Unix(sess.Expires, 0),
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteStrictMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteStrictMode})
}

// session reads and checks the session cookie of r: signed with this
// ADMIN_TOKEN, not expired, not logged out.
func (s *Server) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return session{}, false
	}
	v, sig, ok := strings.Cut(c.Value, ".")
	if !ok {
		return session{}, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac("session", v)) {
		return session{}, false
	}
	body, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return session{}, false
	}
	var sess session
	if json.Unmarshal(body, &sess) != nil || s.now().Unix() >= sess.Expires || sess.Name == "" {
		return session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, out := s.revoked[sess.Nonce]; out {
		return session{}, false
	}
	return sess, true
}

// revoke ends a session before it expires (logout). Revocations are
// kept in memory until the session would have expired.
func (s *Server) revoke(sess session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().Unix()
	for n, exp := range s.revoked {
		if exp <= now {
			delete(s.revoked, n)
		}
	}
	s.revoked[sess.Nonce] = sess.Expires
}

// maxName is the longest organizer name kept.
const maxName = 40

// cleanName is the name an organizer typed at login, made safe for the
// audit log: letters, digits, spaces and - . _ only; "organizer" when
// nothing is left.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.Join(strings.Fields(s), " ") {
		if n == maxName {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" -._", r) {
			b.WriteRune(r)
			n++
		}
	}
	if out := strings.TrimSpace(b.String()); out != "" {
		return out
	}
	return "organizer"
}
