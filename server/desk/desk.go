package desk

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/server/postgres"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Options tune the desk; zero values take the defaults.
type Options struct {
	Agency      string           // the agency the sign-in form proposes
	IdleTimeout time.Duration    // a session unused this long ends; default 15 minutes
	MaxAge      time.Duration    // a session ends this long after sign-in however used; default 12 hours
	MaxFailed   int              // failed sign-ins in a row that lock an account; default 5
	LockFor     time.Duration    // how long; default 15 minutes
	ManyPerDay  int              // searches by one user in one day beyond which the audit flags them; default 50
	Now         func() time.Time // the clock; default time.Now
	// Insecure drops the Secure attribute and the __Host- prefix of the session cookie, for a
	// desk served over plain HTTP in a test. The server always serves HTTPS.
	Insecure bool
}

// Desk serves the administrator's desk.
type Desk struct {
	db        *postgres.DB
	log       *slog.Logger
	opt       Options
	pages     map[string]*template.Template
	dummyHash string
}

// New makes the desk over db.
func New(db *postgres.DB, log *slog.Logger, opt Options) (*Desk, error) {
	if opt.IdleTimeout <= 0 {
		opt.IdleTimeout = 15 * time.Minute
	}
	if opt.MaxAge <= 0 {
		opt.MaxAge = 12 * time.Hour
	}
	if opt.MaxFailed <= 0 {
		opt.MaxFailed = 5
	}
	if opt.LockFor <= 0 {
		opt.LockFor = 15 * time.Minute
	}
	if opt.ManyPerDay <= 0 {
		opt.ManyPerDay = 50
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	dummy, err := HashPassword("not the password of anyone")
	if err != nil {
		return nil, err
	}
	return &Desk{db: db, log: log, opt: opt, pages: pages, dummyHash: dummy}, nil
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format(time.DateOnly)
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"join": strings.Join,
	// doubtful says whether a read's confidence is one the car shows as doubtful.
	"doubtful": func(confidence float64) bool { return alpr.Detection{Confidence: confidence}.Doubtful() },
	"short": func(s string) string {
		if len(s) > 8 {
			return s[:8]
		}
		return s
	},
}

// parsePages parses each page over the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Roles that may open a page.
var (
	everyone  = []string{postgres.RoleAdministrator, postgres.RoleInvestigator, postgres.RoleAuditor}
	readers   = []string{postgres.RoleAdministrator, postgres.RoleAuditor}
	admins    = []string{postgres.RoleAdministrator}
	searchers = []string{postgres.RoleAdministrator, postgres.RoleInvestigator}
)

// showsRecords marks a page that shows detection data: every view of it is audited.
const showsRecords = true

// Handler routes the desk's pages, behind cross-origin protection.
func (d *Desk) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /signin", d.signInPage)
	mux.HandleFunc("POST /signin", d.signIn)
	mux.HandleFunc("POST /signout", d.signOut)

	d.route(mux, "GET /{$}", everyone, false, d.home)
	d.route(mux, "GET /audit", readers, showsRecords, d.auditPage)
	d.route(mux, "POST /audit/review", admins, false, d.auditReview)
	d.route(mux, "POST /audit/verify", admins, false, d.auditVerify)
	d.route(mux, "GET /report", readers, showsRecords, d.reportPage)
	d.route(mux, "GET /report/chart/{name}", readers, false, d.reportChart)
	d.route(mux, "GET /report/pdf", readers, showsRecords, d.reportPDF)
	d.route(mux, "GET /report/csv", readers, showsRecords, d.reportCSV)
	d.route(mux, "GET /aided", searchers, false, d.aidedPage)
	d.route(mux, "POST /aided", searchers, false, d.aidedFlag)
	d.route(mux, "GET /lists", readers, false, d.listsPage)
	d.route(mux, "POST /lists/approve", admins, false, d.listsApprove)
	d.route(mux, "POST /lists/share", admins, false, d.listsShare)
	d.route(mux, "GET /requests", readers, false, d.requestsPage)
	d.route(mux, "GET /network", readers, showsRecords, d.networkPage)
	d.route(mux, "POST /requests/decide", admins, false, d.requestsDecide)
	d.route(mux, "GET /retention", readers, showsRecords, d.retentionPage)
	d.route(mux, "POST /retention/release", admins, false, d.retentionRelease)
	d.route(mux, "GET /evidence", admins, showsRecords, d.evidenceZip)
	d.route(mux, "GET /equipment", readers, false, d.equipmentPage)
	d.route(mux, "POST /equipment/inspect", admins, false, d.equipmentInspect)
	d.route(mux, "POST /equipment/close", admins, false, d.equipmentClose)
	d.route(mux, "GET /training", readers, false, d.trainingPage)
	d.route(mux, "POST /training/import", admins, false, d.trainingImport)
	d.route(mux, "GET /search", searchers, false, d.searchPage)
	d.route(mux, "POST /search", searchers, false, d.search) // audited as a search, with its results
	return securityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// pageFunc serves one page for a signed-in user.
type pageFunc func(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error

// route mounts h for the roles; the wrong role gets 403, no session a redirect to sign in.
// A page that shows detection data is audited before it is served.
func (d *Desk) route(mux *http.ServeMux, pattern string, roles []string, audited bool, h pageFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s, ok := d.session(w, r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			} else {
				http.Error(w, "Your session has ended: sign in again.", http.StatusUnauthorized)
			}
			return
		}
		if !allowed(roles, s.Role) {
			d.log.Warn("desk: refused", "user", s.User, "role", s.Role, "path", r.URL.Path)
			_ = d.db.ServerAudit(r.Context(), s.Agency, s.User, "desk.refused", r.Method+" "+r.URL.Path)
			d.renderStatus(w, http.StatusForbidden, s, "Not allowed", "Your role ("+s.Role+") may not open this page.")
			return
		}
		if audited {
			if err := d.db.ServerAudit(r.Context(), s.Agency, s.User, "desk.view", r.URL.RequestURI()); err != nil {
				d.fail(w, s, err)
				return
			}
		}
		if err := h(w, r, s); err != nil {
			d.fail(w, s, err)
		}
	})
}

func allowed(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

// fail answers an error: what the user did wrong (400, 404) in a plain sentence, anything
// else as a server error with the whole chain in the log.
func (d *Desk) fail(w http.ResponseWriter, s postgres.DeskSession, err error) {
	var ue userError
	switch {
	case errors.As(err, &ue):
		d.renderStatus(w, http.StatusBadRequest, s, "Not done", ue.msg)
	case errors.Is(err, postgres.ErrInvalid):
		d.renderStatus(w, http.StatusBadRequest, s, "Not done", plainReason(err))
	case errors.Is(err, postgres.ErrNotFound):
		d.renderStatus(w, http.StatusNotFound, s, "Not found", plainReason(err))
	default:
		d.log.Error("desk", "user", s.User, "err", err)
		d.renderStatus(w, http.StatusInternalServerError, s, "Something went wrong", "The server could not do this; the error is in its log.")
	}
}

// userError is a mistake in what the user sent, said in a sentence they can act on.
type userError struct{ msg string }

func (u userError) Error() string { return u.msg }

// plainReason is the last part of a wrapped error: "a purpose and a case number are required".
func plainReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return strings.ToUpper(msg[i+2:i+3]) + msg[i+3:] + "."
	}
	return msg
}

// view is what every page template receives.
type view struct {
	Title   string
	User    postgres.DeskSession
	Done    string // what the last form did, after its redirect
	Message string
	Now     time.Time
	Data    any
}

func (v view) Can(role ...string) bool { return allowed(role, v.User.Role) }

// render serves a page with status 200.
func (d *Desk) render(w http.ResponseWriter, r *http.Request, page, title string, s postgres.DeskSession, data any) error {
	return d.renderView(w, http.StatusOK, page, view{Title: title, User: s, Done: done[r.URL.Query().Get("done")],
		Now: d.opt.Now().UTC(), Data: data})
}

func (d *Desk) renderStatus(w http.ResponseWriter, status int, s postgres.DeskSession, title, msg string) {
	if err := d.renderView(w, status, "message", view{Title: title, User: s, Message: msg, Now: d.opt.Now().UTC()}); err != nil {
		d.log.Error("desk: render message", "err", err)
	}
}

func (d *Desk) renderView(w http.ResponseWriter, status int, page string, v view) error {
	t := d.pages[page]
	if t == nil {
		return fmt.Errorf("no page %s", page)
	}
	var buf strings.Builder
	if err := t.Execute(&buf, v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write([]byte(buf.String()))
	return err
}

// done are the sentences a page shows after a form's redirect, by key.
var done = map[string]string{
	"reviewed":  "The audit outcome was recorded.",
	"approved":  "The list was approved.",
	"shared":    "The list was approved for sharing.",
	"released":  "The hold was released.",
	"inspected": "The inspection was recorded.",
	"closed":    "The damage report was closed.",
	"imported":  "The roster was imported.",
	"aided":     "The investigation aided was recorded.",
	"decided":   "The request was decided.",
	"verified":  "Every audit chain was verified again from its first entry.",
}

// redirect answers a form post: back to a page, saying what was done.
func redirect(w http.ResponseWriter, r *http.Request, path, what string) {
	http.Redirect(w, r, path+"?done="+what, http.StatusSeeOther)
}

// securityHeaders keeps pages out of frames and caches and scripts off them.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		hd.Set("Strict-Transport-Security", "max-age=31536000")
		h.ServeHTTP(w, r)
	})
}
