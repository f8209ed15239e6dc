package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// detectionColumns are the columns scanDetection reads, in order (no images).
const detectionColumns = `d.id, d.uuid, d.shift_id, d.camera, d.seen_at, d.plate, d.state, d.confidence,
	d.alternates, d.box, d.lat, d.lon, d.fix_time, d.speed_ms, d.heading, d.fix_quality, d.satellites, d.hdop`

// SaveDetection stores a detection with its images and queues it for sync, in one
// transaction. It sets d.ID, and d.UUID when empty. The detection is on disk when
// it returns; concurrent calls share a commit (see committer). Saving a UUID that
// is already stored changes nothing and sets d.ID to the stored record's, so a
// retried save is harmless.
func (db *DB) SaveDetection(ctx context.Context, d *alpr.Detection) error {
	if err := validDetection(d); err != nil {
		return err
	}
	if d.UUID == "" {
		d.UUID = wire.NewUUID()
	}
	if err := db.commits.save(ctx, d, db.writeDetections); err != nil {
		return fmt.Errorf("save detection %s: %w", d.Plate, classify(err))
	}
	return nil
}

// insertDetection writes one detection, its images and its outbox item in tx.
func (db *DB) insertDetection(ctx context.Context, tx *sql.Tx, d *alpr.Detection) error {
	alts, err := json.Marshal(nonNil(d.Alternates))
	if err != nil {
		return err
	}
	box, err := json.Marshal(nonNil(d.Box))
	if err != nil {
		return err
	}
	var lat, lon any
	if d.Fix.Valid() {
		lat, lon = d.Fix.Lat, d.Fix.Lon
	}
	var shift any
	if d.ShiftID != 0 {
		shift = d.ShiftID
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO detections (uuid, shift_id, camera, seen_at, plate, state, confidence,
			alternates, box, lat, lon, fix_time, speed_ms, heading, fix_quality, satellites, hdop)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (uuid) DO NOTHING RETURNING id`,
		d.UUID, shift, string(d.Camera), d.SeenAt.UnixNano(), d.Plate, d.State, d.Confidence,
		string(alts), string(box), lat, lon, nanos(d.Fix.Time), d.Fix.SpeedMS, d.Fix.Heading,
		int(d.Fix.Quality), d.Fix.Satellites, d.Fix.HDOP).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) { // already stored: a retry
		return tx.QueryRowContext(ctx, `SELECT id FROM detections WHERE uuid = ?`, d.UUID).Scan(&d.ID)
	}
	if err != nil {
		return err
	}
	d.ID = id
	if len(d.PlateJPEG) > 0 || len(d.SceneJPEG) > 0 {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO detection_images (detection_id, plate_jpeg, scene_jpeg) VALUES (?, ?, ?)`,
			id, d.PlateJPEG, d.SceneJPEG); err != nil {
			return err
		}
	}
	return db.enqueue(ctx, tx, KindDetection, d)
}

// validDetection rejects what would make a useless or misleading record.
func validDetection(d *alpr.Detection) error {
	switch {
	case d.Plate == "" || alpr.NormalizePlate(d.Plate) != d.Plate:
		return fmt.Errorf("save detection: %w: plate %q is not normalised (A-Z, 0-9)", ErrInvalid, d.Plate)
	case d.Camera == "":
		return fmt.Errorf("save detection %s: %w: no camera", d.Plate, ErrInvalid)
	case d.SeenAt.IsZero():
		return fmt.Errorf("save detection %s: %w: no capture time", d.Plate, ErrInvalid)
	case d.Confidence < 0 || d.Confidence > 1:
		return fmt.Errorf("save detection %s: %w: confidence %v outside [0,1]", d.Plate, ErrInvalid, d.Confidence)
	}
	return nil
}

// nonNil makes a nil slice encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Detection returns one detection with its images.
func (db *DB) Detection(ctx context.Context, id int64) (alpr.Detection, error) {
	row := db.sql.QueryRowContext(ctx, `SELECT `+detectionColumns+`, i.plate_jpeg, i.scene_jpeg
		FROM detections d LEFT JOIN detection_images i ON i.detection_id = d.id WHERE d.id = ?`, id)
	var plate, scene []byte
	d, err := scanDetection(row, &plate, &scene)
	if errors.Is(err, sql.ErrNoRows) {
		return alpr.Detection{}, fmt.Errorf("detection %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return alpr.Detection{}, fmt.Errorf("detection %d: %w", id, err)
	}
	d.PlateJPEG, d.SceneJPEG = plate, scene
	return d, nil
}

// DetectionsSince returns the detections seen at or after since, oldest first and
// without images: the system re-matches them when a hot list changes.
func (db *DB) DetectionsSince(ctx context.Context, since time.Time) ([]alpr.Detection, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT `+detectionColumns+` FROM detections d WHERE d.seen_at >= ? ORDER BY d.seen_at, d.id`, since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("detections since %s: %w", since.Format(time.RFC3339), err)
	}
	ds, err := collectDetections(rows)
	if err != nil {
		return nil, fmt.Errorf("detections since %s: %w", since.Format(time.RFC3339), err)
	}
	return ds, nil
}

// CountDetections counts the stored detections (the quarterly report's total, III.B.1.c).
func (db *DB) CountDetections(ctx context.Context) (int64, error) {
	var n int64
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM detections`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count detections: %w", err)
	}
	return n, nil
}

type rowScanner interface{ Scan(dest ...any) error }

// scanDetection reads detectionColumns, then any extra destinations.
func scanDetection(r rowScanner, extra ...any) (alpr.Detection, error) {
	var d alpr.Detection
	var shift, fixTime sql.NullInt64
	var lat, lon sql.NullFloat64
	var seen int64
	var camera, alts, box string
	var quality int
	dest := append([]any{&d.ID, &d.UUID, &shift, &camera, &seen, &d.Plate, &d.State, &d.Confidence,
		&alts, &box, &lat, &lon, &fixTime, &d.Fix.SpeedMS, &d.Fix.Heading, &quality, &d.Fix.Satellites, &d.Fix.HDOP},
		extra...)
	if err := r.Scan(dest...); err != nil {
		return d, err
	}
	d.ShiftID, d.Camera, d.SeenAt = shift.Int64, alpr.CameraID(camera), time.Unix(0, seen).UTC()
	d.Fix.Lat, d.Fix.Lon, d.Fix.Time, d.Fix.Quality = lat.Float64, lon.Float64, fromNanos(fixTime), alpr.FixQuality(quality)
	if err := json.Unmarshal([]byte(alts), &d.Alternates); err != nil {
		return d, fmt.Errorf("detection %d alternates: %w", d.ID, err)
	}
	if len(d.Alternates) == 0 {
		d.Alternates = nil
	}
	var pts []image.Point
	if err := json.Unmarshal([]byte(box), &pts); err != nil {
		return d, fmt.Errorf("detection %d box: %w", d.ID, err)
	}
	if len(pts) > 0 {
		d.Box = pts
	}
	return d, nil
}

func collectDetections(rows *sql.Rows) ([]alpr.Detection, error) {
	defer rows.Close()
	var out []alpr.Detection
	for rows.Next() {
		d, err := scanDetection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
