package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// classroomLog is what the UI remembers of a classroom session, from start-up or the
// last reset: the scenarios the trainer ran and who signed in. It outlives a sign-out,
// so the trainer can sign in after the trainee and review what they did (issue 7).
// The trainee's actions themselves are in the store: dispositions on the hits and
// searches in the audit log.
type classroomLog struct {
	since     time.Time
	scenarios []triggered
	operators map[string]alpr.Operator // everyone who signed in, by ID
}

// triggered is one scenario the trainer started.
type triggered struct {
	name string
	at   time.Time
	err  error
}

func newClassroomLog(since time.Time) *classroomLog {
	return &classroomLog{since: since, operators: map[string]alpr.Operator{}}
}

// searchRecord is one audited search, read back from the audit entry's detail.
type searchRecord struct {
	at         time.Time
	actor      string
	Purpose    string `json:"purpose"`
	CaseNumber string `json:"case_number"`
	Plate      string `json:"plate"`
	Results    int    `json:"results"`
}

// parseSearch reads an audit entry of a search. The store writes the detail as JSON;
// an entry it cannot read keeps its raw text as the purpose, so nothing is hidden
// from the trainer.
func parseSearch(e store.AuditEntry) searchRecord {
	r := searchRecord{}
	if err := json.Unmarshal([]byte(e.Detail), &r); err != nil {
		r = searchRecord{Purpose: e.Detail}
	}
	r.at, r.actor = e.At, e.Actor
	return r
}

// sessionReview is what happened in a classroom session, ready to print.
type sessionReview struct {
	since, until time.Time
	unit         string // the vehicle number of the training car
	scenarios    []triggered
	hits         []alpr.Hit
	searches     []searchRecord
	trainees     []alpr.Operator // who to certify: everyone who acted or signed in, trainers aside
}

// newSessionReview sorts the session's hits and audit entries into a review; hits and
// audit come from the store, log from the UI.
func newSessionReview(log *classroomLog, until time.Time, unit string, hits []alpr.Hit, audit []store.AuditEntry) sessionReview {
	r := sessionReview{since: log.since, until: until, unit: unit, scenarios: slices.Clone(log.scenarios), hits: hits}
	seen := map[string]bool{}
	addTrainee := func(id string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		op, ok := log.operators[id]
		if !ok {
			op = alpr.Operator{ID: id, Name: id} // acted without signing in here: name unknown
		}
		if op.Role != alpr.RoleTrainer {
			r.trainees = append(r.trainees, op)
		}
	}
	ids := make([]string, 0, len(log.operators))
	for id := range log.operators {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		addTrainee(id)
	}
	for _, h := range hits {
		if h.Disposition != nil {
			addTrainee(h.Disposition.OperatorID)
		}
	}
	for _, e := range audit {
		if e.Action == store.ActionSearch {
			s := parseSearch(e)
			r.searches = append(r.searches, s)
			addTrainee(s.actor)
		}
	}
	return r
}

// certificate is the plain-text record of one trainee's session, printable as is: the
// exercises completed, then each scenario, hit and search with its time, and lines to
// sign. It is both the trainer's review and the certificate.
func (r sessionReview) certificate(trainee alpr.Operator) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	line("PATROL ALPR — CLASSROOM TRAINING CERTIFICATE")
	line("Training before use of the ALPR (General Order J-4, III.B.1.b, III.C.1–2)")
	line("")
	line("Trainee:  %s (%s)", trainee.Name, trainee.ID)
	line("Session:  %s to %s (%d min)", r.since.Format("2006-01-02 15:04"), r.until.Format("15:04"), int(r.until.Sub(r.since).Minutes()))
	if r.unit != "" {
		line("Unit:     %s", r.unit)
	}

	mine := r.hitsOf(trainee.ID)
	decided, undecided := 0, 0
	for _, h := range mine {
		if h.Disposition == nil {
			undecided++
		} else {
			decided++
		}
	}
	searches := r.searchesOf(trainee.ID)
	selfCheck := slices.ContainsFunc(searches, func(s searchRecord) bool { return s.Purpose == selfCheckWhy })
	ran := 0
	for _, s := range r.scenarios {
		if s.err == nil {
			ran++
		}
	}
	line("")
	line("EXERCISES COMPLETED")
	line("  %s Scenarios shown by the trainer: %d", check(ran > 0), ran)
	line("  %s Hits confirmed or rejected with the reason: %d of %d", check(len(mine) > 0 && undecided == 0), decided, len(mine))
	line("  %s Searches with a purpose and a case number (I.C): %d", check(len(searches) > 0), len(searches))
	line("  %s Shift system check (III.C.7)", check(selfCheck))

	line("")
	line("SCENARIOS RUN (%d)", len(r.scenarios))
	for _, s := range r.scenarios {
		status := ""
		if s.err != nil {
			status = " — did not start: " + s.err.Error()
		}
		line("  %s  %s%s", s.at.Format("15:04:05"), s.name, status)
	}

	line("")
	line("HITS AND DISPOSITIONS (%d)", len(mine))
	for _, h := range mine {
		e := h.Match.Entry
		line("  %s  read %s, listed %s %s on %s (%s)", h.RaisedAt.Format("15:04:05"), h.Match.ReadPlate, e.Plate, orDash(e.State), e.List, e.Reason)
		line("            %s", dispositionText(h))
		if d := h.Disposition; d != nil && d.Note != "" {
			line("            Note: %s", d.Note)
		}
	}

	line("")
	line("SEARCHES (%d)", len(searches))
	for _, s := range searches {
		results := fmt.Sprintf("%d results", s.Results)
		if s.Results == 1 {
			results = "1 result"
		}
		line("  %s  %s · case %s · plate %s · %s", s.at.Format("15:04:05"), s.Purpose, orDash(s.CaseNumber), orDash(s.Plate), results)
	}

	line("")
	line("Trainer: ______________________________   Date: ____________")
	line("Trainee: ______________________________")
	return b.String()
}

// hitsOf is the hits a trainee decided, and every hit nobody decided: an open hit
// counts against whoever was on the screen.
func (r sessionReview) hitsOf(id string) []alpr.Hit {
	var out []alpr.Hit
	for _, h := range r.hits {
		if h.Disposition == nil || h.Disposition.OperatorID == id {
			out = append(out, h)
		}
	}
	return out
}

func (r sessionReview) searchesOf(id string) []searchRecord {
	var out []searchRecord
	for _, s := range r.searches {
		if s.actor == id {
			out = append(out, s)
		}
	}
	return out
}

func check(done bool) string {
	if done {
		return "[x]"
	}
	return "[ ]"
}

// dispositionText is the trainee's decision on a hit and how long it took from the
// alert, the first thing a trainer looks at.
func dispositionText(h alpr.Hit) string {
	d := h.Disposition
	if d == nil {
		return "NOT DECIDED"
	}
	var parts []string
	switch d.Outcome {
	case alpr.Confirmed:
		parts = append(parts, "CONFIRMED by "+orDash(d.ConfirmedBy))
		if d.ReportNumber != "" {
			parts = append(parts, "report "+d.ReportNumber)
		}
		if d.Evidence {
			parts = append(parts, "kept as evidence")
		}
	default:
		parts = append(parts, "REJECTED: "+orDash(d.Reason))
	}
	parts = append(parts, "by "+d.OperatorID, "at "+d.At.Format("15:04:05"))
	if took := d.At.Sub(h.RaisedAt); took >= 0 {
		parts = append(parts, took.Round(time.Second).String()+" after the alert")
	}
	return strings.Join(parts, " · ")
}

// saveCertificate writes a trainee's certificate as a text file named after the
// trainee and the day, in dir, which it makes if needed.
func (r sessionReview) saveCertificate(dir string, trainee alpr.Operator) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("save certificate: %w", err)
	}
	name := fmt.Sprintf("certificate-%s-%s.txt", fileSafe(trainee.ID), r.until.Format("2006-01-02-1504"))
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(r.certificate(trainee)), 0o644); err != nil {
		return "", fmt.Errorf("save certificate: %w", err)
	}
	return path, nil
}

// fileSafe keeps letters, digits, '-' and '_' of s, so an operator ID cannot reach
// outside the certificate folder.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return -1
	}, s)
	if s == "" {
		return "trainee"
	}
	return s
}
