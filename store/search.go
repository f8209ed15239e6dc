package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// Query selects detections. Zero fields do not filter.
type Query struct {
	// Plate is a full plate or a pattern: * stands for any run of characters, ? for
	// exactly one. Without a wildcard the plate must match exactly ("7ABC123");
	// "*ABC*" finds ABC anywhere, "7AB?12?" fills two unknown characters.
	// Other marks and lower case are normalised away as in alpr.NormalizePlate.
	Plate  string
	State  string    // the issuing state the reader named, two letters ("CA"); "" for any
	From   time.Time // seen at or after
	To     time.Time // seen before
	Camera alpr.CameraID
	Near   *Area
	Limit  int // newest first; DefaultSearchLimit when zero, at most MaxSearchLimit
}

// Area is a circle on the ground.
type Area struct {
	Lat, Lon float64
	RadiusM  float64
}

// Purpose is why a person searches the detections: required by policy I.C and
// Cal. Civ. Code 1798.90.52, and written to the audit log with the query.
type Purpose struct {
	OperatorID string `json:"operator_id"`
	Purpose    string `json:"purpose"`
	CaseNumber string `json:"case_number"`
}

// Search limits.
const (
	DefaultSearchLimit = 500
	MaxSearchLimit     = 10_000
)

func (p Purpose) check() error {
	if strings.TrimSpace(p.OperatorID) == "" || strings.TrimSpace(p.Purpose) == "" || strings.TrimSpace(p.CaseNumber) == "" {
		return ErrPurposeRequired
	}
	return nil
}

// SearchDetections returns the detections matching q, newest first, without their
// images (Detection returns those). No results are returned unless the search, its
// purpose and its result count are in the audit log.
func (db *DB) SearchDetections(ctx context.Context, q Query, p Purpose) ([]alpr.Detection, error) {
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("search detections: %w", err)
	}
	if q.Plate != "" && normalizePattern(q.Plate) == "" {
		return nil, fmt.Errorf("search detections %q: %w: no letters, digits or wildcards", q.Plate, ErrInvalid)
	}
	if q.State = strings.ToUpper(strings.TrimSpace(q.State)); q.State != "" && !alpr.IsStateCode(q.State) {
		return nil, fmt.Errorf("search detections in state %q: %w: a state is two letters, such as CA", q.State, ErrInvalid)
	}
	// The query runs outside the write transaction so that a long search never
	// holds up the engine's saves; the audit entry follows before any result
	// leaves the store.
	stmt, args := searchSQL(q)
	rows, err := db.sql.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("search detections %q: %w", q.Plate, err)
	}
	out, err := collectDetections(rows)
	if err != nil {
		return nil, fmt.Errorf("search detections %q: %w", q.Plate, err)
	}
	if err := db.Audit(ctx, p.OperatorID, ActionSearch, searchDetail(q, p, len(out))); err != nil {
		return nil, fmt.Errorf("search detections %q: %w", q.Plate, err)
	}
	return out, nil
}

// searchDetail is the audit record of a search: who, why, what, how many.
func searchDetail(q Query, p Purpose, n int) string {
	rec := struct {
		Purpose
		Plate   string        `json:"plate,omitempty"`
		State   string        `json:"state,omitempty"`
		From    *time.Time    `json:"from,omitempty"`
		To      *time.Time    `json:"to,omitempty"`
		Camera  alpr.CameraID `json:"camera,omitempty"`
		Near    *Area         `json:"near,omitempty"`
		Results int           `json:"results"`
	}{Purpose: p, Plate: q.Plate, State: q.State, Camera: q.Camera, Near: q.Near, Results: n}
	if !q.From.IsZero() {
		rec.From = &q.From
	}
	if !q.To.IsZero() {
		rec.To = &q.To
	}
	b, _ := json.Marshal(rec) // plain values: cannot fail
	return string(b)
}

// searchSQL plans a query. An exact plate is answered from the plate index; a
// pattern from the trigram index when it holds three known characters in a row
// (counting the ^ and $ anchors around the plate, so "7A*" and "*23" qualify);
// otherwise by walking the detections newest first until the limit is reached.
func searchSQL(q Query) (string, []any) {
	var where []string
	var args []any
	from := `detections d`
	if pat := normalizePattern(q.Plate); pat != "" {
		if !strings.ContainsAny(pat, "*?") {
			where, args = append(where, `d.plate = ?`), append(args, pat)
		} else {
			if m := gramQuery(pat); m != "" {
				// CROSS JOIN keeps the index lookup first: the planner must not
				// scan detections by time and probe the trigram index per row.
				from = `detection_plate_grams g CROSS JOIN detections d ON d.id = g.rowid`
				where, args = append(where, `detection_plate_grams MATCH ?`, `d.plate GLOB ?`), append(args, m, pat)
			} else {
				// Too few known characters to narrow by: such a pattern matches
				// many plates, so walking newest first and stopping at the limit
				// beats collecting and sorting them all from the plate index
				// (the unary + keeps the planner off it).
				where, args = append(where, `+d.plate GLOB ?`), append(args, pat)
			}
		}
	}
	if !q.From.IsZero() {
		where, args = append(where, `d.seen_at >= ?`), append(args, q.From.UnixNano())
	}
	if !q.To.IsZero() {
		where, args = append(where, `d.seen_at < ?`), append(args, q.To.UnixNano())
	}
	if q.State != "" {
		where, args = append(where, `d.state = ?`), append(args, q.State)
	}
	if q.Camera != "" {
		where, args = append(where, `d.camera = ?`), append(args, string(q.Camera))
	}
	if a := q.Near; a != nil {
		// A box first (uses the index on lat), then the equirectangular distance,
		// which is exact to well under a metre at the radii an officer asks for.
		const mPerDegLat = 111_320.0
		mPerDegLon := mPerDegLat * math.Cos(a.Lat*math.Pi/180)
		dLat, dLon := a.RadiusM/mPerDegLat, a.RadiusM/math.Max(mPerDegLon, 1)
		where = append(where, `d.lat BETWEEN ? AND ?`, `d.lon BETWEEN ? AND ?`,
			`((d.lat - ?) * ?) * ((d.lat - ?) * ?) + ((d.lon - ?) * ?) * ((d.lon - ?) * ?) <= ?`)
		args = append(args, a.Lat-dLat, a.Lat+dLat, a.Lon-dLon, a.Lon+dLon,
			a.Lat, mPerDegLat, a.Lat, mPerDegLat, a.Lon, mPerDegLon, a.Lon, mPerDegLon, a.RadiusM*a.RadiusM)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, MaxSearchLimit)
	s := `SELECT ` + detectionColumns + ` FROM ` + from
	if len(where) > 0 {
		s += ` WHERE ` + strings.Join(where, ` AND `)
	}
	s += ` ORDER BY d.seen_at DESC, d.id DESC LIMIT ?`
	return s, append(args, limit)
}

// normalizePattern keeps A-Z, 0-9 and the wildcards, upper-casing letters.
func normalizePattern(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '*' || r == '?':
			b.WriteRune(r)
		default:
			b.WriteString(alpr.NormalizePlate(string(r)))
		}
	}
	// Runs of * mean the same as one.
	out := b.String()
	for strings.Contains(out, "**") {
		out = strings.ReplaceAll(out, "**", "*")
	}
	return out
}

// gramQuery turns a pattern into an FTS5 query over the anchored plate: every run of
// at least three known characters must occur. "" when there is none.
func gramQuery(pat string) string {
	runs := strings.FieldsFunc("^"+pat+"$", func(r rune) bool { return r == '*' || r == '?' })
	var phrases []string
	for _, r := range runs {
		if len(r) >= 3 {
			phrases = append(phrases, `"`+r+`"`)
		}
	}
	return strings.Join(phrases, " AND ")
}
