package desk_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"patrol-alpr/server/desk"
)

func TestPasswordHash(t *testing.T) {
	h, err := desk.HashPassword("correct horse battery")
	must(t, err)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id in PHC format", h)
	}
	h2, err := desk.HashPassword("correct horse battery")
	must(t, err)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := desk.HashPassword("short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
}

func TestSessionCookieIsSecure(t *testing.T) {
	e := newEnv(t, desk.Options{})
	c := e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res := e.post(c, "/signin", url.Values{"agency": {e.agency}, "name": {adminName}, "password": {adminPassword}})
	cookies := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || len(cookies) != 1 {
		t.Fatalf("sign in: %s, cookies %v", res.Status, cookies)
	}
	ck := cookies[0]
	if ck.Name != "__Host-alpr-desk" || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
		t.Errorf("session cookie %+v: want __Host-, Secure, HttpOnly, SameSite=Strict, Path=/", ck)
	}
}

// TestRoles: each role opens its pages and gets 403 on the others, GET and POST.
func TestRoles(t *testing.T) {
	e := newEnv(t, desk.Options{})
	pages := []string{"/", "/audit", "/report", "/lists", "/requests", "/network", "/retention", "/equipment", "/training", "/search", "/aided", "/evidence?case=C-1"}
	allowed := map[string][]string{
		adminName:        pages,
		auditorName:      {"/", "/audit", "/report", "/lists", "/requests", "/network", "/retention", "/equipment", "/training"},
		investigatorName: {"/", "/search", "/aided"},
	}
	pw := map[string]string{adminName: adminPassword, auditorName: auditorPassword, investigatorName: investigatorPW}
	for user, ok := range allowed {
		t.Run(user, func(t *testing.T) {
			c := e.client(user, pw[user])
			for _, p := range pages {
				want := http.StatusForbidden
				for _, a := range ok {
					if a == p {
						want = http.StatusOK
					}
				}
				if res, _ := e.get(c, p); res.StatusCode != want {
					t.Errorf("GET %s: %s, want %d", p, res.Status, want)
				}
			}
			if user == adminName {
				return
			}
			// Neither the auditor (read-only) nor the investigator may approve or review.
			for _, post := range []struct {
				path string
				form url.Values
			}{
				{"/lists/approve", url.Values{"name": {"GANG"}, "version": {"1"}}},
				{"/audit/review", url.Values{"search": {"2317:4"}, "outcome": {"compliant"}}},
				{"/retention/release", url.Values{"hold": {"x"}, "reason": {"r"}}},
				{"/training/import", url.Values{}},
				{"/requests/decide", url.Values{"request": {"x"}, "decision": {"approve"}, "reason": {"r"}}},
			} {
				if res := e.post(c, post.path, post.form); res.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s: %s, want 403", post.path, res.Status)
				}
			}
		})
	}
}

func TestSignedOutIsSentToSignIn(t *testing.T) {
	e := newEnv(t, desk.Options{})
	c := e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, _ := e.get(c, "/report?q=2026-Q4")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin?next=%2Freport%3Fq%3D2026-Q4" {
		t.Errorf("signed out: %s to %q", res.Status, res.Header.Get("Location"))
	}
	if res := e.post(c, "/lists/approve", url.Values{"name": {"GANG"}, "version": {"1"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed-out POST: %s, want 401", res.Status)
	}
}

func TestLockoutAfterFailedSignIns(t *testing.T) {
	e := newEnv(t, desk.Options{MaxFailed: 3, LockFor: 10 * time.Minute})
	c := e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	signIn := func(pw string) int {
		return e.post(c, "/signin", url.Values{"agency": {e.agency}, "name": {adminName}, "password": {pw}}).StatusCode
	}
	for i := 0; i < 3; i++ {
		if got := signIn("wrong password " + string(rune('a'+i))); got != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, got)
		}
	}
	if got := signIn(adminPassword); got != http.StatusUnauthorized {
		t.Errorf("right password on a locked account: %d, want 401", got)
	}
	e.clock.Add(11 * time.Minute)
	if got := signIn(adminPassword); got != http.StatusSeeOther {
		t.Errorf("right password after the lock: %d, want 303", got)
	}
	// An unknown name gets the same answer as a wrong password.
	if got := e.post(c, "/signin", url.Values{"agency": {e.agency}, "name": {"nobody"}, "password": {"x"}}).StatusCode; got != http.StatusUnauthorized {
		t.Errorf("unknown name: %d", got)
	}
}

func TestIdleSessionExpires(t *testing.T) {
	e := newEnv(t, desk.Options{IdleTimeout: 15 * time.Minute})
	c := e.client(adminName, adminPassword)
	e.clock.Add(14 * time.Minute)
	if res, _ := e.get(c, "/"); res.StatusCode != http.StatusOK {
		t.Fatalf("after 14 idle minutes: %s", res.Status)
	}
	e.clock.Add(14 * time.Minute) // used 14 minutes ago: still alive
	if res, _ := e.get(c, "/"); res.StatusCode != http.StatusOK {
		t.Fatalf("14 minutes after the last use: %s", res.Status)
	}
	e.clock.Add(16 * time.Minute)
	if res, _ := e.get(c, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 16 idle minutes: %s, want a redirect to sign in", res.Status)
	}
}

func TestSignOutEndsSession(t *testing.T) {
	e := newEnv(t, desk.Options{})
	c := e.client(adminName, adminPassword)
	u, _ := url.Parse(e.srv.URL)
	stolen := c.Jar.Cookies(u)
	e.post(c, "/signout", nil)
	c2 := e.srv.Client()
	c2.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c2.Jar, _ = cookiejar.New(nil)
	c2.Jar.SetCookies(u, stolen)
	if res, _ := e.get(c2, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the old cookie after sign-out: %s, want a redirect to sign in", res.Status)
	}
}

// TestCrossSiteFormRefused: a form another site posts with the user's cookie is refused.
func TestCrossSiteFormRefused(t *testing.T) {
	e := newEnv(t, desk.Options{})
	c := e.client(adminName, adminPassword)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/lists/approve", strings.NewReader("name=GANG&version=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %s, want 403", res.Status)
	}
	lists, err := e.db.DeskLists(t.Context(), e.agency)
	must(t, err)
	for _, l := range lists {
		if l.Name == "GANG" && l.ApprovedBy != "" {
			t.Error("the cross-site POST approved the list")
		}
	}
}

// TestDetectionPagesAreAudited: opening a page that shows detection data leaves a record.
func TestDetectionPagesAreAudited(t *testing.T) {
	e := newEnv(t, desk.Options{})
	c := e.client(auditorName, auditorPassword)
	e.get(c, "/report?q=2026-Q4")
	e.get(c, "/retention")
	log, err := e.db.ServerAuditLog(t.Context(), e.agency, 100)
	must(t, err)
	seen := map[string]bool{}
	for _, a := range log {
		if a.Action == "desk.view" && a.Actor == auditorName {
			seen[a.Detail] = true
		}
	}
	for _, p := range []string{"/report?q=2026-Q4", "/retention"} {
		if !seen[p] {
			t.Errorf("viewing %s was not audited (audited: %v)", p, seen)
		}
	}
}
