package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"patrol-alpr/wire"
)

// PurgeReport says what one retention run removed, or would remove when dry.
type PurgeReport struct {
	At                time.Time
	Cutoff            time.Time // data seen before this is past retention
	DryRun            bool
	Partitions        []string // dropped whole
	DetectionsRemoved int64    // in dropped partitions and from the month the cutoff falls in
	EvidenceMoved     int64    // held detections moved into evidence storage first
	ImagesRemoved     int64
	KeysRemoved       int64
}

// held is true for a detection that must outlive retention (IV.A.1): under an active hold,
// or shown by a hit whose latest disposition marks it as evidence.
const held = `(EXISTS (SELECT 1 FROM evidence_holds h WHERE h.agency_id = d.agency_id AND h.detection_uuid = d.uuid
		AND h.released_at IS NULL)
	OR EXISTS (SELECT 1 FROM hits x WHERE x.agency_id = d.agency_id AND x.detection_uuid = d.uuid
		AND (SELECT p.evidence FROM dispositions p WHERE p.agency_id = x.agency_id AND p.hit_uuid = x.uuid
			ORDER BY p.at DESC LIMIT 1)))`

// Purge removes ALPR data older than the retention period (IV.A): the monthly partitions
// wholly before the cutoff are dropped, and the month the cutoff falls in loses its rows
// before it; held detections are first copied into evidence storage. Images no remaining
// detection or evidence shows, and sync keys past the cutoff, go too. Each partition is
// handled in its own transaction, so a purge stopped half way leaves nothing half done.
// A dry run counts and changes nothing. Every run is recorded in purges, dry or not.
func (db *DB) Purge(ctx context.Context, dryRun bool) (PurgeReport, error) {
	now := db.now()
	rep := PurgeReport{At: now, Cutoff: now.AddDate(-Retention, 0, 0), DryRun: dryRun}
	parts, err := db.partitions(ctx)
	if err != nil {
		return rep, err
	}
	for _, p := range parts {
		if !p.from.Before(rep.Cutoff) {
			break
		}
		whole := !p.upto.After(rep.Cutoff)
		ident := pgx.Identifier{p.name}.Sanitize()
		err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			var rows, keep int64
			if err := tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE `+held+`) FROM `+ident+` d
				WHERE d.seen_at < $1`, rep.Cutoff).Scan(&rows, &keep); err != nil {
				return err
			}
			rep.DetectionsRemoved += rows
			rep.EvidenceMoved += keep
			if whole {
				rep.Partitions = append(rep.Partitions, p.name)
			}
			if dryRun {
				return nil
			}
			if _, err := tx.Exec(ctx, `INSERT INTO evidence_detections SELECT d.*, $2 FROM `+ident+` d
				WHERE d.seen_at < $1 AND `+held+` ON CONFLICT DO NOTHING`, rep.Cutoff, now); err != nil {
				return err
			}
			if whole {
				_, err := tx.Exec(ctx, `DROP TABLE `+ident)
				return err
			}
			_, err := tx.Exec(ctx, `DELETE FROM `+ident+` WHERE seen_at < $1`, rep.Cutoff)
			return err
		})
		if err != nil {
			return rep, fmt.Errorf("purge %s: %w", p.name, err)
		}
		if whole && !dryRun {
			db.forgetPartition(p.from)
		}
	}
	orphans := `FROM images i WHERE i.last_seen_at < $1 AND NOT EXISTS (SELECT 1 FROM evidence_detections e
		WHERE e.agency_id = i.agency_id AND (e.plate_sha256 = i.sha256 OR e.scene_sha256 = i.sha256))`
	if dryRun {
		err = db.pool.QueryRow(ctx, `SELECT count(*) `+orphans, rep.Cutoff).Scan(&rep.ImagesRemoved)
		if err == nil {
			err = db.pool.QueryRow(ctx, `SELECT count(*) FROM sync_keys WHERE received_at < $1`, rep.Cutoff).Scan(&rep.KeysRemoved)
		}
	} else {
		var tag interface{ RowsAffected() int64 }
		if tag, err = db.pool.Exec(ctx, `DELETE `+orphans, rep.Cutoff); err == nil {
			rep.ImagesRemoved = tag.RowsAffected()
			if tag, err = db.pool.Exec(ctx, `DELETE FROM sync_keys WHERE received_at < $1`, rep.Cutoff); err == nil {
				rep.KeysRemoved = tag.RowsAffected()
			}
		}
	}
	if err != nil {
		return rep, fmt.Errorf("purge images and keys: %w", err)
	}
	parts2 := rep.Partitions
	if parts2 == nil {
		parts2 = []string{}
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO purges (at, cutoff, dry_run, partitions, detections_removed,
		evidence_moved, images_removed, keys_removed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		rep.At, rep.Cutoff, rep.DryRun, parts2, rep.DetectionsRemoved, rep.EvidenceMoved, rep.ImagesRemoved,
		rep.KeysRemoved); err != nil {
		return rep, fmt.Errorf("record purge: %w", err)
	}
	return rep, nil
}

// PurgeHistory returns the recorded retention runs, newest first.
func (db *DB) PurgeHistory(ctx context.Context, limit int) ([]PurgeReport, error) {
	rows, err := db.pool.Query(ctx, `SELECT at, cutoff, dry_run, partitions, detections_removed, evidence_moved,
		images_removed, keys_removed FROM purges ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("read purge history: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PurgeReport, error) {
		var p PurgeReport
		err := r.Scan(&p.At, &p.Cutoff, &p.DryRun, &p.Partitions, &p.DetectionsRemoved, &p.EvidenceMoved,
			&p.ImagesRemoved, &p.KeysRemoved)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("read purge history: %w", err)
	}
	return out, nil
}

// Hold is an evidence hold on one detection.
type Hold struct {
	ID            string
	Agency        string
	DetectionUUID string
	CaseNumber    string
	Reason        string
	PlacedBy      string
	PlacedAt      time.Time
	Source        string // car or server
	ReleasedAt    time.Time
	ReleasedBy    string
	ReleaseReason string
}

// PlaceHold keeps a detection past retention for a case, audited.
func (db *DB) PlaceHold(ctx context.Context, agency, detectionUUID, caseNumber, reason, by string) (Hold, error) {
	if strings.TrimSpace(caseNumber) == "" || strings.TrimSpace(reason) == "" || by == "" {
		return Hold{}, fmt.Errorf("hold detection %s: %w: a case number, a reason and who holds it are required", detectionUUID, ErrInvalid)
	}
	h := Hold{ID: wire.NewUUID(), Agency: agency, DetectionUUID: detectionUUID, CaseNumber: caseNumber, Reason: reason,
		PlacedBy: by, PlacedAt: db.now(), Source: "server"}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var found bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM detections WHERE agency_id = $1 AND uuid = $2)
			OR EXISTS (SELECT 1 FROM evidence_detections WHERE agency_id = $1 AND uuid = $2)`, agency, detectionUUID).Scan(&found); err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("detection %s: %w", detectionUUID, ErrNotFound)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO evidence_holds (agency_id, id, detection_uuid, case_number, reason,
			placed_by, placed_at, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			h.Agency, h.ID, h.DetectionUUID, h.CaseNumber, h.Reason, h.PlacedBy, h.PlacedAt, h.Source); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, h.PlacedAt, by, "evidence.hold", fmt.Sprintf("detection %s held for case %s: %s", detectionUUID, caseNumber, reason))
		return err
	})
	if err != nil {
		return Hold{}, fmt.Errorf("hold detection %s: %w", detectionUUID, err)
	}
	return h, nil
}

// ReleaseHold ends a hold, with the reason, audited. The detection then ages out as usual.
func (db *DB) ReleaseHold(ctx context.Context, agency, id, reason, by string) error {
	if strings.TrimSpace(reason) == "" || by == "" {
		return fmt.Errorf("release hold %s: %w: a reason and who releases it are required", id, ErrInvalid)
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var det, caseNo string
		err := tx.QueryRow(ctx, `UPDATE evidence_holds SET released_at = $3, released_by = $4, release_reason = $5
			WHERE agency_id = $1 AND id = $2 AND released_at IS NULL RETURNING detection_uuid::text, case_number`,
			agency, id, db.now(), by, reason).Scan(&det, &caseNo)
		if err == pgx.ErrNoRows {
			return fmt.Errorf("hold %s: %w (or already released)", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, db.now(), by, "evidence.release", fmt.Sprintf("detection %s, case %s: %s", det, caseNo, reason))
		return err
	})
	if err != nil {
		return fmt.Errorf("release hold %s: %w", id, err)
	}
	return nil
}
