package desk

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"patrol-alpr/server/postgres"
)

// quarter is a calendar quarter in UTC, written 2026-Q4.
type quarter struct {
	Year, Q int
}

func (q quarter) String() string { return fmt.Sprintf("%d-Q%d", q.Year, q.Q) }
func (q quarter) From() time.Time {
	return time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, time.UTC)
}
func (q quarter) To() time.Time { return q.From().AddDate(0, 3, 0) }
func (q quarter) Prev() quarter {
	if q.Q == 1 {
		return quarter{q.Year - 1, 4}
	}
	return quarter{q.Year, q.Q - 1}
}

func quarterOf(t time.Time) quarter {
	t = t.UTC()
	return quarter{t.Year(), (int(t.Month())-1)/3 + 1}
}

// reportQuarter reads ?q=2026-Q4; the current quarter when absent.
func (d *Desk) reportQuarter(r *http.Request) (quarter, error) {
	s := r.URL.Query().Get("q")
	if s == "" {
		return quarterOf(d.opt.Now()), nil
	}
	var q quarter
	if _, err := fmt.Sscanf(s, "%d-Q%d", &q.Year, &q.Q); err != nil || q.Q < 1 || q.Q > 4 || q.Year < 2000 || q.Year > 9999 {
		return q, userError{"A quarter is written like 2026-Q4."}
	}
	return q, nil
}

// reportView is the quarterly report page.
type reportView struct {
	Quarter  quarter
	Quarters []quarter // the last eight, for the picker
	Report   postgres.QuarterReport
	Charts   []chartSpec
}

func (d *Desk) quarterReport(r *http.Request, s postgres.DeskSession) (quarter, postgres.QuarterReport, error) {
	q, err := d.reportQuarter(r)
	if err != nil {
		return q, postgres.QuarterReport{}, err
	}
	rep, err := d.db.Quarter(r.Context(), s.Agency, q.From(), q.To())
	return q, rep, err
}

func (d *Desk) reportPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	q, rep, err := d.quarterReport(r, s)
	if err != nil {
		return err
	}
	v := reportView{Quarter: q, Report: rep, Charts: charts}
	for c, i := quarterOf(d.opt.Now()), 0; i < 8; c, i = c.Prev(), i+1 {
		v.Quarters = append(v.Quarters, c)
	}
	return d.render(w, r, "report", "Quarterly report "+q.String(), s, v)
}

func (d *Desk) reportChart(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	spec, ok := chartByFile(r.PathValue("name"))
	if !ok {
		return fmt.Errorf("chart %s: %w", r.PathValue("name"), postgres.ErrNotFound)
	}
	_, rep, err := d.quarterReport(r, s)
	if err != nil {
		return err
	}
	svg, err := renderChart(spec, rep, "svg")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	_, err = w.Write(svg)
	return err
}

func (d *Desk) reportPDF(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	q, rep, err := d.quarterReport(r, s)
	if err != nil {
		return err
	}
	pdf, err := reportPDF(rep, q.String(), s.User, d.opt.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="alpr-quarterly-%s-%s.pdf"`, s.Agency, q))
	_, err = w.Write(pdf)
	return err
}

// reportCSV writes the report as one table: section, key and the figures, so that a
// spreadsheet can pivot it.
func (d *Desk) reportCSV(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	q, rep, err := d.quarterReport(r, s)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="alpr-quarterly-%s-%s.csv"`, s.Agency, q))
	return writeReportCSV(w, rep)
}

func writeReportCSV(w http.ResponseWriter, rep postgres.QuarterReport) error {
	c := csv.NewWriter(w)
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	_ = c.Write([]string{"section", "key", "detections", "hits", "confirmed", "rejected"})
	_ = c.Write([]string{"total", "", n(rep.Detections), n(rep.Hits), n(rep.Confirmed), n(rep.Rejected)})
	for _, sec := range []struct {
		name string
		rows []postgres.ReportRow
	}{{"month", rep.ByMonth}, {"vehicle", rep.ByVehicle}, {"camera", rep.ByCamera}, {"list", rep.ByList}} {
		for _, row := range sec.rows {
			_ = c.Write([]string{sec.name, row.Key, n(row.Detections), n(row.Hits), n(row.Confirmed), n(row.Rejected)})
		}
	}
	for _, rc := range rep.RejectedBy {
		_ = c.Write([]string{"rejected reason", rc.Reason, "", "", "", n(rc.Count)})
	}
	_ = c.Write([]string{"pending", "", "", n(rep.Pending), "", ""})
	_ = c.Write([]string{"searches", "", n(rep.Searches), "", "", ""})
	_ = c.Write([]string{"aided case", "hit or search", "flagged by", "flagged at", "note", ""})
	for _, a := range rep.Aided {
		what := "hit " + a.HitUUID
		if a.SearchID != "" {
			what = "search " + a.SearchID
		}
		_ = c.Write([]string{"aided " + a.CaseNumber, what, a.FlaggedBy, a.At.UTC().Format(time.RFC3339), a.Note, ""})
	}
	c.Flush()
	return c.Error()
}

// aidedView is the form that flags a hit or a search as having aided an investigation.
type aidedView struct {
	Hit, Search string
}

func (d *Desk) aidedPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	q := r.URL.Query()
	return d.render(w, r, "aided", "Investigation aided", s, aidedView{Hit: q.Get("hit"), Search: q.Get("search")})
}

func (d *Desk) aidedFlag(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	if err := d.db.FlagAided(r.Context(), s.Agency, trimmed(r, "hit"), trimmed(r, "search"), trimmed(r, "case"),
		trimmed(r, "note"), s.User); err != nil {
		return err
	}
	redirect(w, r, "/aided", "aided")
	return nil
}

func trimmed(r *http.Request, field string) string { return strings.TrimSpace(r.PostFormValue(field)) }
