package desk

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"patrol-alpr/server/postgres"
)

// cookieName is the session cookie's. The __Host- prefix makes the browser refuse it unless
// it is Secure, has Path=/ and no Domain: no other host can set or read it.
func (d *Desk) cookieName() string {
	if d.opt.Insecure {
		return "alpr-desk"
	}
	return "__Host-alpr-desk"
}

// session returns the signed-in session of the request, renewing its idle timer.
func (d *Desk) session(w http.ResponseWriter, r *http.Request) (postgres.DeskSession, bool) {
	c, err := r.Cookie(d.cookieName())
	if err != nil {
		return postgres.DeskSession{}, false
	}
	token, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(token) != 32 {
		return postgres.DeskSession{}, false
	}
	s, err := d.db.TouchDeskSession(r.Context(), token, d.opt.IdleTimeout, d.opt.MaxAge)
	if err != nil {
		if !errors.Is(err, postgres.ErrNotFound) {
			d.log.Error("desk: read session", "err", err)
		}
		d.setCookie(w, "", -1)
		return postgres.DeskSession{}, false
	}
	return s, true
}

func (d *Desk) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     d.cookieName(),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		Secure:   !d.opt.Insecure,
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
}

type signInView struct {
	Agency, Name, Next string
}

func (d *Desk) signInPage(w http.ResponseWriter, r *http.Request) {
	if err := d.renderView(w, http.StatusOK, "signin", view{Title: "Sign in", Now: d.opt.Now().UTC(),
		Data: signInView{Agency: d.opt.Agency, Next: r.URL.Query().Get("next")}}); err != nil {
		d.log.Error("desk: sign-in page", "err", err)
	}
}

// signIn checks the password. A wrong name and a wrong password get the same answer after
// the same work; too many failures in a row lock the account for a while.
func (d *Desk) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	agency := strings.TrimSpace(r.PostFormValue("agency"))
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := r.PostFormValue("next")
	refuse := func(msg string) {
		d.log.Warn("desk: sign-in refused", "agency", agency, "user", name, "why", msg)
		if err := d.renderView(w, http.StatusUnauthorized, "signin", view{Title: "Sign in", Now: d.opt.Now().UTC(),
			Message: msg, Data: signInView{Agency: agency, Name: name, Next: next}}); err != nil {
			d.log.Error("desk: sign-in page", "err", err)
		}
	}
	const wrong = "Wrong name or password. After several failed attempts the account is locked for a while."
	u, err := d.db.DeskUserByName(ctx, agency, name)
	if err != nil {
		if !errors.Is(err, postgres.ErrNotFound) {
			d.log.Error("desk: sign in", "err", err)
			http.Error(w, "The server could not sign you in; the error is in its log.", http.StatusInternalServerError)
			return
		}
		_, _ = checkPassword(d.dummyHash, password)
		if agency != "" {
			_, _ = d.db.DeskSignInFailed(ctx, agency, name, d.opt.MaxFailed, d.opt.LockFor)
		}
		refuse(wrong)
		return
	}
	ok, err := checkPassword(u.Password, password)
	if err != nil {
		d.log.Error("desk: sign in", "user", name, "err", err)
	}
	now := d.opt.Now()
	if ok && !u.Disabled && !now.Before(u.LockedUntil) {
		token := make([]byte, 32)
		_, _ = rand.Read(token)
		if err := d.db.StartDeskSession(ctx, agency, name, token); err != nil {
			d.log.Error("desk: sign in", "err", err)
			http.Error(w, "The server could not sign you in; the error is in its log.", http.StatusInternalServerError)
			return
		}
		d.setCookie(w, base64.RawURLEncoding.EncodeToString(token), int(d.opt.MaxAge.Seconds()))
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
		return
	}
	if !ok {
		if _, err := d.db.DeskSignInFailed(ctx, agency, name, d.opt.MaxFailed, d.opt.LockFor); err != nil {
			d.log.Error("desk: sign in", "err", err)
		}
	}
	refuse(wrong)
}

func (d *Desk) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(d.cookieName()); err == nil {
		if token, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			if err := d.db.EndDeskSession(r.Context(), token); err != nil {
				d.log.Error("desk: sign out", "err", err)
			}
		}
	}
	d.setCookie(w, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// safeNext keeps the redirect after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
