package postgres

import (
	"context"
	"fmt"
)

// Counts is how much of an agency's data the server holds, for tests, the load test and the
// administrator's overview.
type Counts struct {
	Detections       int64
	DuplicateUUIDs   int64 // detections stored more than once under one UUID: must be 0
	Images           int64
	IncompleteImages int64 // detections naming an image the server does not hold: must be 0
	Hits             int64
	Dispositions     int64
	AuditEntries     int64
	AuditFlags       int64
	Keys             int64
}

// Count counts the agency's records.
func (db *DB) Count(ctx context.Context, agency string) (Counts, error) {
	var c Counts
	err := db.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM detections WHERE agency_id = $1),
		(SELECT count(*) FROM (SELECT uuid FROM detections WHERE agency_id = $1 GROUP BY uuid HAVING count(*) > 1) d),
		(SELECT count(*) FROM images WHERE agency_id = $1),
		(SELECT count(*) FROM detections d WHERE agency_id = $1 AND (
			(plate_sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM images i WHERE i.agency_id = d.agency_id AND i.sha256 = d.plate_sha256))
			OR (scene_sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM images i WHERE i.agency_id = d.agency_id AND i.sha256 = d.scene_sha256)))),
		(SELECT count(*) FROM hits WHERE agency_id = $1),
		(SELECT count(*) FROM dispositions WHERE agency_id = $1),
		(SELECT count(*) FROM audit_entries WHERE agency_id = $1),
		(SELECT count(*) FROM audit_flags WHERE agency_id = $1),
		(SELECT count(*) FROM sync_keys WHERE agency_id = $1)`, agency).Scan(
		&c.Detections, &c.DuplicateUUIDs, &c.Images, &c.IncompleteImages, &c.Hits, &c.Dispositions,
		&c.AuditEntries, &c.AuditFlags, &c.Keys)
	if err != nil {
		return c, fmt.Errorf("count records of %s: %w", agency, err)
	}
	return c, nil
}
