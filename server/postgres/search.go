package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// ErrNotShared means a search named an agency that does not share its detections with the
// searcher.
var ErrNotShared = fmt.Errorf("no sharing agreement")

// SearchMax is the most results one search returns.
const SearchMax = 1000

// SearchNetwork searches detections of the searcher's agency and of the agencies that share
// with it (IV.B.1). Purpose and case number are required; naming an agency that does not
// share with the searcher is refused. The search is recorded in the searcher's query audit
// and in that of every agency whose detections it returned.
func (db *DB) SearchNetwork(ctx context.Context, agency, via string, q wire.SearchRequest) (wire.SearchReply, error) {
	q.Plate = strings.ToUpper(strings.TrimSpace(q.Plate))
	if strings.TrimSpace(q.Operator) == "" || strings.TrimSpace(q.Purpose) == "" || strings.TrimSpace(q.CaseNumber) == "" {
		return wire.SearchReply{}, fmt.Errorf("search: %w: operator, purpose and case number are required", ErrInvalid)
	}
	pattern, ok := likePattern(q.Plate)
	if !ok {
		return wire.SearchReply{}, fmt.Errorf("search %q: %w: a plate of letters, digits, * and ?", q.Plate, ErrInvalid)
	}
	if q.State = strings.ToUpper(strings.TrimSpace(q.State)); q.State != "" && !alpr.IsStateCode(q.State) {
		return wire.SearchReply{}, fmt.Errorf("search %q in state %q: %w: a state is two letters, such as CA", q.Plate, q.State, ErrInvalid)
	}
	sharing, err := db.sharingWith(ctx, agency)
	if err != nil {
		return wire.SearchReply{}, err
	}
	allowed := append([]string{agency}, sharing...)
	searched := allowed
	if len(q.Agencies) > 0 {
		searched = nil
		for _, a := range q.Agencies {
			if !slices.Contains(allowed, a) {
				return wire.SearchReply{}, fmt.Errorf("search %s's detections: %w with %s", a, ErrNotShared, agency)
			}
			searched = append(searched, a)
		}
	}
	limit := q.Limit
	if limit <= 0 || limit > SearchMax {
		limit = SearchMax
	}
	from, to := q.From, q.To
	if from.IsZero() {
		from = db.now().AddDate(-Retention, 0, 0)
	}
	if to.IsZero() {
		to = db.now().Add(24 * time.Hour)
	}
	rows, err := db.pool.Query(ctx, `SELECT agency_id, vehicle, uuid::text, camera, seen_at, plate, state, confidence,
		coalesce(lat, 0), coalesce(lon, 0), lat IS NOT NULL FROM detections
		WHERE agency_id = ANY($1) AND plate LIKE $2 AND seen_at >= $3 AND seen_at < $4 AND ($6 = '' OR state = $6)
		ORDER BY seen_at DESC LIMIT $5`, searched, pattern, from, to, limit, q.State)
	if err != nil {
		return wire.SearchReply{}, fmt.Errorf("search %q: %w", q.Plate, err)
	}
	results, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (wire.SearchResult, error) {
		var s wire.SearchResult
		var camera string
		var hasFix bool
		err := r.Scan(&s.Agency, &s.Vehicle, &s.UUID, &camera, &s.SeenAt, &s.Plate, &s.State, &s.Confidence,
			&s.Fix.Lat, &s.Fix.Lon, &hasFix)
		s.Camera = alpr.CameraID(camera)
		if hasFix {
			s.Fix.Quality = alpr.Fix3D
		}
		return s, err
	})
	if err != nil {
		return wire.SearchReply{}, fmt.Errorf("search %q: %w", q.Plate, err)
	}
	if err := db.auditSearch(ctx, agency, via, q, searched, results); err != nil {
		return wire.SearchReply{}, err
	}
	if results == nil {
		results = []wire.SearchResult{}
	}
	return wire.SearchReply{Results: results, Searched: searched}, nil
}

// sharingWith names the agencies that let agency search their detections.
func (db *DB) sharingWith(ctx context.Context, agency string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT agency_id FROM sharing_agreements WHERE partner_id = $1 AND may_search
		ORDER BY agency_id`, agency)
	if err != nil {
		return nil, fmt.Errorf("find who shares with %s: %w", agency, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find who shares with %s: %w", agency, err)
	}
	return out, nil
}

// auditSearch records the search in the searcher's query audit and in each owner's whose
// detections it returned, in one transaction with the server's audit.
func (db *DB) auditSearch(ctx context.Context, agency, via string, q wire.SearchRequest, searched []string, results []wire.SearchResult) error {
	perOwner := map[string]int{}
	for _, r := range results {
		perOwner[r.Agency]++
	}
	query, err := json.Marshal(struct {
		Plate    string    `json:"plate"`
		State    string    `json:"state,omitempty"`
		From     time.Time `json:"from,omitzero"`
		To       time.Time `json:"to,omitzero"`
		Searched []string  `json:"agencies"`
		By       string    `json:"by_agency"`
	}{q.Plate, q.State, q.From, q.To, searched, agency})
	if err != nil {
		return err
	}
	now := db.now()
	id := wire.NewUUID()
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		owners := []string{agency}
		for a := range perOwner {
			if a != agency {
				owners = append(owners, a)
			}
		}
		for _, owner := range owners {
			n := len(results)
			if owner != agency {
				n = perOwner[owner]
			}
			if _, err := tx.Exec(ctx, `INSERT INTO searches (agency_id, id, vehicle, operator_id, at, purpose, case_number, query, results)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, owner, "net:"+id, via, agency+"/"+q.Operator, now,
				q.Purpose, q.CaseNumber, query, n); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
				owner, now, agency+"/"+q.Operator, "search.network", fmt.Sprintf("plate %s, case %s (%s): %d of %s's detections",
					q.Plate, q.CaseNumber, q.Purpose, n, owner)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit search: %w", err)
	}
	return nil
}

// likePattern turns a plate with * and ? into a LIKE pattern; ok is false for other
// characters.
func likePattern(p string) (string, bool) {
	if p == "" {
		return "", false
	}
	var b strings.Builder
	for _, c := range p {
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == '*':
			b.WriteByte('%')
		case c == '?':
			b.WriteByte('_')
		default:
			return "", false
		}
	}
	return b.String(), true
}

// ShiftDetections returns the UUIDs of the detections the server holds of one vehicle's
// operator since from (III.C.7: the operator's check that the system works).
func (db *DB) ShiftDetections(ctx context.Context, agency, vehicle, operator string, from time.Time) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT uuid::text FROM detections WHERE agency_id = $1 AND vehicle = $2
		AND operator_id = $3 AND seen_at >= $4 ORDER BY seen_at`, agency, vehicle, operator, from)
	if err != nil {
		return nil, fmt.Errorf("read shift detections of %s: %w", vehicle, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read shift detections of %s: %w", vehicle, err)
	}
	if err := db.ServerAudit(ctx, agency, operator, "shift.check", fmt.Sprintf("vehicle %s since %s: %d detections",
		vehicle, from.UTC().Format(time.RFC3339), len(out))); err != nil {
		return nil, err
	}
	return out, nil
}

// OutsideRequest is a request for an agency's data from an agency outside the network
// (IV.B.2), answered only after the administrator's decision.
type OutsideRequest struct {
	Agency, ID, Requester, Purpose, CaseNumber string
	Query                                      json.RawMessage
	ReceivedAt                                 time.Time
	ReceivedBy                                 string
	Decision, DecisionReason, DecidedBy        string
	DecidedAt                                  time.Time
}

// RecordOutsideRequest records a request for the administrator.
func (db *DB) RecordOutsideRequest(ctx context.Context, r OutsideRequest) (OutsideRequest, error) {
	if r.Requester == "" || r.Purpose == "" || r.CaseNumber == "" || r.ReceivedBy == "" {
		return r, fmt.Errorf("record outside request: %w: requester, purpose, case number and who received it", ErrInvalid)
	}
	if len(r.Query) == 0 {
		r.Query = json.RawMessage(`{}`)
	}
	r.ID, r.ReceivedAt = wire.NewUUID(), db.now()
	_, err := db.pool.Exec(ctx, `INSERT INTO outside_requests (agency_id, id, requester, purpose, case_number, query,
		received_at, received_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.Agency, r.ID, r.Requester, r.Purpose,
		r.CaseNumber, r.Query, r.ReceivedAt, r.ReceivedBy)
	if err != nil {
		return r, fmt.Errorf("record outside request from %s: %w", r.Requester, err)
	}
	return r, db.ServerAudit(ctx, r.Agency, r.ReceivedBy, "outside.request", fmt.Sprintf("%s, case %s: %s", r.Requester, r.CaseNumber, r.Purpose))
}

// DecideOutsideRequest approves or refuses a request, with the reason, once.
func (db *DB) DecideOutsideRequest(ctx context.Context, agency, id string, approve bool, reason, by string) error {
	if strings.TrimSpace(reason) == "" || by == "" {
		return fmt.Errorf("decide request %s: %w: a reason and who decides", id, ErrInvalid)
	}
	decision := "refused"
	if approve {
		decision = "approved"
	}
	tag, err := db.pool.Exec(ctx, `UPDATE outside_requests SET decision = $3, decision_reason = $4, decided_at = $5,
		decided_by = $6 WHERE agency_id = $1 AND id = $2 AND decision IS NULL`, agency, id, decision, reason, db.now(), by)
	if err != nil {
		return fmt.Errorf("decide request %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("request %s: %w (or decided already)", id, ErrNotFound)
	}
	return db.ServerAudit(ctx, agency, by, "outside."+decision, fmt.Sprintf("request %s: %s", id, reason))
}
