package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reasons a search is flagged for the query audit (III.B.1.d).
const (
	FlagNoCase       = "no case number"
	FlagOutsideShift = "outside the operator's shift"
	FlagManyQueries  = "unusually many queries by one user"
)

// Search outcomes the administrator records.
const (
	AuditCompliant    = "compliant"
	AuditNotCompliant = "not compliant"
	AuditReferred     = "referred"
)

// SearchFilter selects searches for the query audit. Zero fields do not filter.
type SearchFilter struct {
	From, To    time.Time
	Operator    string
	CaseNumber  string
	FlaggedOnly bool
	Unreviewed  bool
	ManyPerDay  int // more searches than this by one user in one day are flagged; 0: 50
	Limit       int // 0: 200
}

// AuditedSearch is one search with its flags and the administrator's outcome.
type AuditedSearch struct {
	ID         string
	Vehicle    string // empty for a search made at the desk
	Operator   string
	At         time.Time
	Purpose    string
	CaseNumber string
	Query      string // the search as recorded (JSON)
	Results    int
	PerDay     int // the user's searches that day
	Flags      []string
	Outcome    string // empty until reviewed
	Note       string
	ReviewedBy string
	ReviewedAt time.Time
}

// Searches returns the searches filter selects, newest first, each with its flags: no case
// number; outside the operator's shift (a car's search when the operator's last shift entry
// before it in the cars' audit logs is not a shift start; an operator with no shift entries
// in the period is not judged); more than ManyPerDay searches by the user that day.
//
// The flags are worked out here, not in SQL: the period's searches (light columns only) and
// shift entries are read once each by index and walked in time order, which stays fast at
// tens of thousands of searches where a subquery per search does not. Only the page's
// searches are then read whole.
func (db *DB) Searches(ctx context.Context, agency string, f SearchFilter) ([]AuditedSearch, error) {
	if f.ManyPerDay <= 0 {
		f.ManyPerDay = 50
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	if f.To.IsZero() {
		f.To = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	day := func(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
	// Whole days either side, so that the count of a day cut by the filter is whole.
	from, to := day(f.From), day(f.To.Add(-time.Nanosecond)).Add(24*time.Hour)
	if f.From.IsZero() {
		from = time.Time{}
	}
	type light struct {
		id, vehicle, operator, caseNo, outcome string
		at                                     time.Time
		outside                                bool
		perDay                                 int
	}
	rows, err := db.pool.Query(ctx, `SELECT s.id, s.vehicle, s.operator_id, s.case_number, s.at, coalesce(r.outcome, '')
		FROM searches s LEFT JOIN search_reviews r ON r.agency_id = s.agency_id AND r.search_id = s.id
		WHERE s.agency_id = $1 AND s.at >= $2 AND s.at < $3 ORDER BY s.at`, agency, from, to)
	if err != nil {
		return nil, fmt.Errorf("list searches: %w", err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (light, error) {
		var l light
		err := r.Scan(&l.id, &l.vehicle, &l.operator, &l.caseNo, &l.at, &l.outcome)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list searches: %w", err)
	}
	// Shift entries from a day before the period: a shift is shorter than that.
	rows, err = db.pool.Query(ctx, `SELECT actor, at, action = 'shift.start' FROM audit_entries
		WHERE agency_id = $1 AND action IN ('shift.start', 'shift.end') AND at >= $2 AND at < $3 ORDER BY at`,
		agency, from.Add(-24*time.Hour), to)
	if err != nil {
		return nil, fmt.Errorf("read shift entries: %w", err)
	}
	type shiftEvent struct {
		at    time.Time
		start bool
	}
	shifts := map[string][]shiftEvent{}
	var actor string
	var ev shiftEvent
	if _, err := pgx.ForEachRow(rows, []any{&actor, &ev.at, &ev.start}, func() error {
		shifts[actor] = append(shifts[actor], ev)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read shift entries: %w", err)
	}
	type opDay struct {
		op  string
		day time.Time
	}
	perDay := map[opDay]int{}
	next := map[string]int{} // per operator, the index of the first shift entry after the last search seen
	for i := range all {
		l := &all[i]
		perDay[opDay{l.operator, day(l.at)}]++
		evs := shifts[l.operator]
		if l.vehicle == "" || len(evs) == 0 {
			continue
		}
		k := next[l.operator]
		for k < len(evs) && !evs[k].at.After(l.at) {
			k++
		}
		next[l.operator] = k
		l.outside = k == 0 || !evs[k-1].start
	}
	var page []string
	flags := map[string][]string{}
	for i := len(all) - 1; i >= 0 && len(page) < f.Limit; i-- {
		l := &all[i]
		l.perDay = perDay[opDay{l.operator, day(l.at)}]
		if l.at.Before(f.From) || !l.at.Before(f.To) || (f.Operator != "" && l.operator != f.Operator) ||
			(f.CaseNumber != "" && l.caseNo != f.CaseNumber) || (f.Unreviewed && l.outcome != "") {
			continue
		}
		var fl []string
		if strings.TrimSpace(l.caseNo) == "" {
			fl = append(fl, FlagNoCase)
		}
		if l.outside {
			fl = append(fl, FlagOutsideShift)
		}
		if l.perDay > f.ManyPerDay {
			fl = append(fl, FlagManyQueries)
		}
		if f.FlaggedOnly && len(fl) == 0 {
			continue
		}
		page = append(page, l.id)
		flags[l.id] = fl
	}
	if len(page) == 0 {
		return nil, nil
	}
	rows, err = db.pool.Query(ctx, `SELECT s.id, s.vehicle, s.operator_id, s.at, s.purpose, s.case_number, s.query::text, s.results,
			coalesce(r.outcome, ''), coalesce(r.note, ''), coalesce(r.reviewed_by, ''), coalesce(r.reviewed_at, 'epoch')
		FROM searches s LEFT JOIN search_reviews r ON r.agency_id = s.agency_id AND r.search_id = s.id
		WHERE s.agency_id = $1 AND s.id = ANY($2) ORDER BY s.at DESC, s.id`, agency, page)
	if err != nil {
		return nil, fmt.Errorf("list searches: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditedSearch, error) {
		var s AuditedSearch
		err := r.Scan(&s.ID, &s.Vehicle, &s.Operator, &s.At, &s.Purpose, &s.CaseNumber, &s.Query, &s.Results,
			&s.Outcome, &s.Note, &s.ReviewedBy, &s.ReviewedAt)
		s.Flags = flags[s.ID]
		s.PerDay = perDay[opDay{s.Operator, day(s.At)}]
		if s.ReviewedAt.Equal(time.Unix(0, 0)) {
			s.ReviewedAt = time.Time{}
		}
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("list searches: %w", err)
	}
	return out, nil
}

// ReviewSearch records the administrator's outcome of auditing one search, audited.
func (db *DB) ReviewSearch(ctx context.Context, agency, searchID, outcome, note, by string) error {
	if outcome != AuditCompliant && outcome != AuditNotCompliant && outcome != AuditReferred {
		return fmt.Errorf("review search %s: %w: outcome %q", searchID, ErrInvalid, outcome)
	}
	now := db.now()
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO search_reviews (agency_id, search_id, outcome, note, reviewed_by, reviewed_at)
			SELECT agency_id, id, $3, $4, $5, $6 FROM searches WHERE agency_id = $1 AND id = $2
			ON CONFLICT (agency_id, search_id) DO UPDATE SET outcome = excluded.outcome, note = excluded.note,
				reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at`,
			agency, searchID, outcome, note, by, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("search %s: %w", searchID, ErrNotFound)
		}
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, now, by, "audit.review", fmt.Sprintf("search %s: %s. %s", searchID, outcome, note))
		return err
	})
	if err != nil {
		return fmt.Errorf("review search %s: %w", searchID, err)
	}
	return nil
}
