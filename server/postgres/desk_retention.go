package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// RetentionStatus is what the retention page shows: what is due for purge and what is held.
type RetentionStatus struct {
	Cutoff      time.Time // data seen before this is past retention now
	DueNow      int64     // detections past the cutoff (the next purge removes them unless held)
	DueIn30Days int64     // detections that pass the cutoff within 30 days
	Holds       []Hold    // active first, then released, newest first
}

// Retention counts what is due for purge and lists the evidence holds.
func (db *DB) Retention(ctx context.Context, agency string) (RetentionStatus, error) {
	now := db.now()
	st := RetentionStatus{Cutoff: now.AddDate(-Retention, 0, 0)}
	err := db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE seen_at < $2), count(*) FILTER (WHERE seen_at >= $2)
		FROM detections WHERE agency_id = $1 AND seen_at < $3`, agency, st.Cutoff, st.Cutoff.AddDate(0, 0, 30)).Scan(&st.DueNow, &st.DueIn30Days)
	if err != nil {
		return st, fmt.Errorf("count detections due for purge: %w", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT id::text, detection_uuid::text, case_number, reason, placed_by, placed_at, source,
		coalesce(released_at, 'epoch'), coalesce(released_by, ''), coalesce(release_reason, '')
		FROM evidence_holds WHERE agency_id = $1 ORDER BY released_at IS NOT NULL, placed_at DESC LIMIT 500`, agency)
	if err != nil {
		return st, fmt.Errorf("list holds: %w", err)
	}
	st.Holds, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Hold, error) {
		h := Hold{Agency: agency}
		err := r.Scan(&h.ID, &h.DetectionUUID, &h.CaseNumber, &h.Reason, &h.PlacedBy, &h.PlacedAt, &h.Source,
			&h.ReleasedAt, &h.ReleasedBy, &h.ReleaseReason)
		if h.ReleasedAt.Equal(time.Unix(0, 0)) {
			h.ReleasedAt = time.Time{}
		}
		return h, err
	})
	if err != nil {
		return st, fmt.Errorf("list holds: %w", err)
	}
	return st, nil
}

// EvidenceItem is one held detection of a case with its images, for the evidence download.
type EvidenceItem struct {
	DeskDetection
	PlateJPEG []byte
	SceneJPEG []byte
}

// Evidence returns the detections held for a case (active holds), from the live partitions
// or from evidence storage, with their images.
func (db *DB) Evidence(ctx context.Context, agency, caseNumber string) ([]EvidenceItem, error) {
	rows, err := db.pool.Query(ctx, `WITH held AS (SELECT DISTINCT detection_uuid FROM evidence_holds
			WHERE agency_id = $1 AND case_number = $2 AND released_at IS NULL),
		d AS (SELECT d.uuid, d.seen_at, d.vehicle, d.operator_id, d.camera, d.plate, d.state, d.confidence, d.lat, d.lon,
				d.plate_sha256, d.scene_sha256 FROM detections d JOIN held ON held.detection_uuid = d.uuid WHERE d.agency_id = $1
			UNION ALL
			SELECT e.uuid, e.seen_at, e.vehicle, e.operator_id, e.camera, e.plate, e.state, e.confidence, e.lat, e.lon,
				e.plate_sha256, e.scene_sha256 FROM evidence_detections e JOIN held ON held.detection_uuid = e.uuid
			WHERE e.agency_id = $1 AND NOT EXISTS (SELECT 1 FROM detections x WHERE x.agency_id = $1 AND x.uuid = e.uuid))
		SELECT d.uuid::text, d.seen_at, d.vehicle, d.operator_id, d.camera, d.plate, d.state, d.confidence,
			coalesce(d.lat, 0), coalesce(d.lon, 0), p.data, s.data
		FROM d LEFT JOIN images p ON p.agency_id = $1 AND p.sha256 = d.plate_sha256
		LEFT JOIN images s ON s.agency_id = $1 AND s.sha256 = d.scene_sha256 ORDER BY d.seen_at, d.uuid`, agency, caseNumber)
	if err != nil {
		return nil, fmt.Errorf("read evidence of case %s: %w", caseNumber, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EvidenceItem, error) {
		var e EvidenceItem
		err := r.Scan(&e.UUID, &e.SeenAt, &e.Vehicle, &e.Operator, &e.Camera, &e.Plate, &e.State, &e.Confidence,
			&e.Lat, &e.Lon, &e.PlateJPEG, &e.SceneJPEG)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read evidence of case %s: %w", caseNumber, err)
	}
	return out, nil
}
