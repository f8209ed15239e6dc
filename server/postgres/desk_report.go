package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// QuarterReport is the ALPR Quarterly Report (III.B.1.c) over [From, To): detections, hits
// and what became of them, and the significant investigations ALPR aided.
type QuarterReport struct {
	Agency     string
	From, To   time.Time
	Detections int64
	Hits       int64
	Confirmed  int64 // hits whose latest disposition confirms them
	Rejected   int64
	Pending    int64 // hits without a disposition
	RejectedBy []ReasonCount
	Searches   int64
	ByMonth    []ReportRow // Key "2026-10"
	ByVehicle  []ReportRow
	ByCamera   []ReportRow
	ByList     []ReportRow // Detections is zero: a detection is not on a list, a hit is
	Aided      []Aided
}

// ReasonCount is how many hits were rejected for one reason.
type ReasonCount struct {
	Reason string
	Count  int64
}

// ReportRow is one line of a breakdown of the report.
type ReportRow struct {
	Key        string
	Detections int64
	Hits       int64
	Confirmed  int64
	Rejected   int64
}

// Aided is a hit or a search that aided a significant investigation.
type Aided struct {
	ID         string
	HitUUID    string
	SearchID   string
	CaseNumber string
	Note       string
	FlaggedBy  string
	At         time.Time
	List       string // the hit's list, when it is a hit
	Plate      string
}

// Quarter returns the report over [from, to), which are whole UTC days. Detections come from
// their daily counts; hits, with their latest disposition, are grouped by month, vehicle,
// camera, list and reason in one pass (GROUPING SETS).
func (db *DB) Quarter(ctx context.Context, agency string, from, to time.Time) (QuarterReport, error) {
	rep := QuarterReport{Agency: agency, From: from, To: to}
	rows := map[string]map[string]*ReportRow{"month": {}, "vehicle": {}, "camera": {}, "list": {}}
	row := func(set, key string) *ReportRow {
		r := rows[set][key]
		if r == nil {
			r = &ReportRow{Key: key}
			rows[set][key] = r
		}
		return r
	}
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		// Counted as they were filed (migration 0004): a few thousand rows a quarter.
		r, err := tx.Query(ctx, `SELECT to_char(day, 'YYYY-MM'), vehicle, camera, sum(n)::bigint FROM detection_counts
			WHERE agency_id = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
				AND day < ($3::timestamptz AT TIME ZONE 'UTC')::date GROUP BY 1, 2, 3`, agency, from, to)
		if err != nil {
			return err
		}
		var month, vehicle, camera string
		var n int64
		_, err = pgx.ForEachRow(r, []any{&month, &vehicle, &camera, &n}, func() error {
			row("month", month).Detections += n
			row("vehicle", vehicle).Detections += n
			row("camera", camera).Detections += n
			rep.Detections += n
			return nil
		})
		if err != nil {
			return err
		}
		// A hit's camera is its detection's, recorded as the hit was filed (migration 0004).
		r, err = tx.Query(ctx, `WITH h AS (
				SELECT date_trunc('month', h.raised_at, 'UTC') AS month, h.vehicle, h.list_name,
					coalesce(c.camera, (SELECT d.camera FROM detections d WHERE d.agency_id = h.agency_id
						AND d.uuid = h.detection_uuid LIMIT 1), '?') AS camera,
					coalesce(p.outcome, '') AS outcome,
					CASE WHEN p.outcome = 'rejected' THEN coalesce(nullif(p.reason, ''), 'no reason given') END AS reason
				FROM hits h
				LEFT JOIN LATERAL (SELECT outcome, reason FROM dispositions p WHERE p.agency_id = h.agency_id
					AND p.hit_uuid = h.uuid ORDER BY p.at DESC LIMIT 1) p ON true
				LEFT JOIN hit_cameras c ON c.agency_id = h.agency_id AND c.hit_uuid = h.uuid
				WHERE h.agency_id = $1 AND h.raised_at >= $2 AND h.raised_at < $3)
			SELECT month, vehicle, camera, list_name, reason, GROUPING(month, vehicle, camera, list_name, reason),
				count(*), count(*) FILTER (WHERE outcome = 'confirmed'), count(*) FILTER (WHERE outcome = 'rejected')
			FROM h GROUP BY GROUPING SETS ((month), (vehicle), (camera), (list_name), (reason), ())`, agency, from, to)
		if err != nil {
			return err
		}
		var hMonth *time.Time
		var hVehicle, hCamera, list, reason *string
		var grouping int
		var hits, confirmed, rejected int64
		_, err = pgx.ForEachRow(r, []any{&hMonth, &hVehicle, &hCamera, &list, &reason, &grouping, &hits, &confirmed, &rejected}, func() error {
			var rr *ReportRow
			switch grouping {
			case 0b01111:
				rr = row("month", monthKey(*hMonth))
			case 0b10111:
				rr = row("vehicle", *hVehicle)
			case 0b11011:
				rr = row("camera", *hCamera)
			case 0b11101:
				rr = row("list", *list)
			case 0b11110:
				if reason != nil {
					rep.RejectedBy = append(rep.RejectedBy, ReasonCount{Reason: *reason, Count: hits})
				}
				return nil
			case 0b11111:
				rep.Hits, rep.Confirmed, rep.Rejected = hits, confirmed, rejected
				rep.Pending = hits - confirmed - rejected
				return nil
			default:
				return nil
			}
			rr.Hits, rr.Confirmed, rr.Rejected = hits, confirmed, rejected
			return nil
		})
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM searches WHERE agency_id = $1 AND at >= $2 AND at < $3`,
			agency, from, to).Scan(&rep.Searches); err != nil {
			return err
		}
		rep.Aided, err = aided(ctx, tx, agency, from, to)
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("quarterly report %s to %s: %w", from.Format(time.DateOnly), to.Format(time.DateOnly), err)
	}
	sorted := func(set string) []ReportRow {
		var out []ReportRow
		for _, r := range rows[set] {
			out = append(out, *r)
		}
		slices.SortFunc(out, func(a, b ReportRow) int { return strings.Compare(a.Key, b.Key) })
		return out
	}
	rep.ByMonth, rep.ByVehicle, rep.ByCamera, rep.ByList = sorted("month"), sorted("vehicle"), sorted("camera"), sorted("list")
	slices.SortFunc(rep.RejectedBy, func(a, b ReasonCount) int { return strings.Compare(a.Reason, b.Reason) })
	return rep, nil
}

// monthKey names a month as the report shows it: 2026-10.
func monthKey(t time.Time) string { return t.UTC().Format("2006-01") }

func aided(ctx context.Context, tx pgx.Tx, agency string, from, to time.Time) ([]Aided, error) {
	r, err := tx.Query(ctx, `SELECT a.id::text, coalesce(a.hit_uuid::text, ''), coalesce(a.search_id, ''), a.case_number,
			a.note, a.flagged_by, a.at, coalesce(h.list_name, ''), coalesce(h.read_plate, '')
		FROM aided_investigations a LEFT JOIN hits h ON h.agency_id = a.agency_id AND h.uuid = a.hit_uuid
		WHERE a.agency_id = $1 AND a.at >= $2 AND a.at < $3 ORDER BY a.at, a.id`, agency, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(r, func(r pgx.CollectableRow) (Aided, error) {
		var a Aided
		err := r.Scan(&a.ID, &a.HitUUID, &a.SearchID, &a.CaseNumber, &a.Note, &a.FlaggedBy, &a.At, &a.List, &a.Plate)
		return a, err
	})
}

// FlagAided records that a hit (hitUUID) or a search (searchID) aided a significant
// investigation, with its case number, audited.
func (db *DB) FlagAided(ctx context.Context, agency, hitUUID, searchID, caseNumber, note, by string) error {
	if strings.TrimSpace(caseNumber) == "" || (hitUUID == "") == (searchID == "") || (hitUUID != "" && !wire.ValidUUID(hitUUID)) {
		return fmt.Errorf("flag investigation aided: %w: a case number and either a hit or a search", ErrInvalid)
	}
	now := db.now()
	var hit *string
	var search *string
	if hitUUID != "" {
		hit = &hitUUID
	} else {
		search = &searchID
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var found bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hits WHERE agency_id = $1 AND uuid = $2)
			OR EXISTS (SELECT 1 FROM searches WHERE agency_id = $1 AND id = $3)`, agency, hit, search).Scan(&found); err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: no such hit or search", ErrNotFound)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO aided_investigations (agency_id, id, hit_uuid, search_id, case_number, note, flagged_by, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, agency, wire.NewUUID(), hit, search, caseNumber, note, by, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, now, by, "investigation.aided", fmt.Sprintf("hit %s search %s aided case %s", hitUUID, searchID, caseNumber))
		return err
	})
	if err != nil {
		return fmt.Errorf("flag investigation aided: %w", err)
	}
	return nil
}
