package desk

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"patrol-alpr/server/postgres"
)

// auditView is the query audit (III.B.1.d): the searches, their flags and outcomes, and the
// verification of the cars' audit chains.
type auditView struct {
	Filter   auditFilter
	Searches []postgres.AuditedSearch
	Chains   []postgres.ChainCheck
	Broken   int
	Log      []postgres.AuditEntry
	Outcomes []string
}

type auditFilter struct {
	From, To, Operator, Case string
	Flagged, Unreviewed      bool
}

func (d *Desk) auditPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := auditFilter{From: q.Get("from"), To: q.Get("to"), Operator: strings.TrimSpace(q.Get("operator")),
		Case: strings.TrimSpace(q.Get("case")), Flagged: q.Get("flagged") != "", Unreviewed: q.Get("unreviewed") != ""}
	if f.From == "" && f.To == "" {
		// The quarterly audit's window by default (III.B.1.d), not two years of searches.
		f.From = d.opt.Now().UTC().AddDate(0, 0, -91).Format(time.DateOnly)
	}
	sf := postgres.SearchFilter{Operator: f.Operator, CaseNumber: f.Case, FlaggedOnly: f.Flagged, Unreviewed: f.Unreviewed,
		ManyPerDay: d.opt.ManyPerDay, Limit: 500}
	var err error
	if sf.From, err = formDate(f.From); err != nil {
		return err
	}
	if sf.To, err = formDate(f.To); err != nil {
		return err
	}
	if !sf.To.IsZero() {
		sf.To = sf.To.AddDate(0, 0, 1) // the "to" day is included
	}
	v := auditView{Filter: f, Outcomes: []string{postgres.AuditCompliant, postgres.AuditNotCompliant, postgres.AuditReferred}}
	if v.Searches, err = d.db.Searches(ctx, s.Agency, sf); err != nil {
		return err
	}
	if v.Chains, err = d.db.VerifyChains(ctx, s.Agency, false); err != nil {
		return err
	}
	for _, c := range v.Chains {
		if !c.OK() {
			v.Broken++
		}
	}
	if v.Log, err = d.db.ServerAuditLog(ctx, s.Agency, 50); err != nil {
		return err
	}
	return d.render(w, r, "audit", "Query audit", s, v)
}

// auditVerify verifies every car's audit chain again from its first entry.
func (d *Desk) auditVerify(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	chains, err := d.db.VerifyChains(r.Context(), s.Agency, true)
	if err != nil {
		return err
	}
	broken := 0
	for _, c := range chains {
		if !c.OK() {
			broken++
		}
	}
	if err := d.db.ServerAudit(r.Context(), s.Agency, s.User, "audit.verify",
		fmt.Sprintf("%d audit chains verified from the start: %d broken", len(chains), broken)); err != nil {
		return err
	}
	redirect(w, r, "/audit", "verified")
	return nil
}

func (d *Desk) auditReview(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	if err := d.db.ReviewSearch(r.Context(), s.Agency, r.PostFormValue("search"), r.PostFormValue("outcome"),
		strings.TrimSpace(r.PostFormValue("note")), s.User); err != nil {
		return err
	}
	redirect(w, r, "/audit", "reviewed")
	return nil
}

// formDate reads a date field (YYYY-MM-DD); empty is the zero time.
func formDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, userError{"Dates are written YYYY-MM-DD, like 2026-10-01."}
	}
	return t, nil
}
