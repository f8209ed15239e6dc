package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// fileDetectionSQL records one detection's key and, only when the key is new, its images and
// the detection: one statement, so that a batch of detections is filed in one round trip.
const fileDetectionSQL = `WITH k AS (
		INSERT INTO sync_keys (agency_id, key, vehicle, kind, seq, received_at)
		VALUES ($1, $2, $3, 'detection', $4, $5) ON CONFLICT DO NOTHING RETURNING key),
	p AS (INSERT INTO images (agency_id, sha256, data, size, last_seen_at, received_at)
		SELECT $1, $6::bytea, $7::bytea, length($7::bytea), $8::timestamptz, $5 FROM k WHERE $6::bytea IS NOT NULL
		ON CONFLICT (agency_id, sha256) DO UPDATE SET last_seen_at = greatest(images.last_seen_at, excluded.last_seen_at)),
	s AS (INSERT INTO images (agency_id, sha256, data, size, last_seen_at, received_at)
		SELECT $1, $9::bytea, $10::bytea, length($10::bytea), $8::timestamptz, $5 FROM k WHERE $9::bytea IS NOT NULL
		ON CONFLICT (agency_id, sha256) DO UPDATE SET last_seen_at = greatest(images.last_seen_at, excluded.last_seen_at))
	INSERT INTO detections (agency_id, seen_at, uuid, vehicle, operator_id, camera, plate, state, confidence,
		alternates, lat, lon, fix, plate_sha256, scene_sha256, received_at)
	SELECT $1, $8, $11, $3, $12, $13, $14, $15, $16, $17, $18, $19, $20, $6, $9, $5 FROM k
	ON CONFLICT DO NOTHING RETURNING $2::text`

// keyOnlySQL records the key of a detection past retention, whose record is not kept.
const keyOnlySQL = `INSERT INTO sync_keys (agency_id, key, vehicle, kind, seq, received_at)
	VALUES ($1, $2, $3, 'detection', $4, $5) ON CONFLICT DO NOTHING RETURNING key::text`

// fileDetections files a batch made only of detections in one pipelined round trip, which
// PostgreSQL runs as one implicit transaction: all of it is stored, or none. It returns the
// keys that were new.
func (db *DB) fileDetections(ctx context.Context, agency string, b wire.Batch, items []item, now time.Time) (map[string]bool, error) {
	var q pgx.Batch
	var last *alpr.Detection
	for _, it := range items {
		if it.expired {
			q.Queue(keyOnlySQL, agency, it.Key, b.Vehicle, it.Seq, now)
			continue
		}
		d := it.det
		alts, err := json.Marshal(d.Alternates)
		if err != nil {
			return nil, err
		}
		var lat, lon *float64
		var fix []byte
		if d.Fix.Valid() {
			lat, lon = &d.Fix.Lat, &d.Fix.Lon
			if fix, err = json.Marshal(d.Fix); err != nil {
				return nil, err
			}
			if last == nil || d.SeenAt.After(last.SeenAt) {
				last = d
			}
		}
		var plate, scene []byte // nil: none, so the image's insert selects nothing
		if len(d.PlateJPEG) > 0 {
			plate = it.plateSum
		}
		if len(d.SceneJPEG) > 0 {
			scene = it.sceneSum
		}
		q.Queue(fileDetectionSQL, agency, it.Key, b.Vehicle, it.Seq, now, plate, d.PlateJPEG, d.SeenAt, scene,
			d.SceneJPEG, d.UUID, it.Operator, string(d.Camera), d.Plate, d.State, d.Confidence, alts, lat, lon, fix)
	}
	var lat, lon *float64
	var at *time.Time
	if last != nil {
		lat, lon, at = &last.Fix.Lat, &last.Fix.Lon, &last.SeenAt
	}
	q.Queue(touchVehicleSQL, agency, b.Vehicle, now, b.Backlog, b.OldestUnsent, lat, lon, at)
	br := db.pool.SendBatch(ctx, &q)
	fresh := map[string]bool{}
	var ferr error
	for _, it := range items {
		var key string
		err := br.QueryRow().Scan(&key)
		switch {
		case err == nil:
			fresh[it.Key] = true
		case err == pgx.ErrNoRows: // seen before, or the detection was stored under another key
		default:
			ferr = err
		}
		if ferr != nil {
			break
		}
	}
	if ferr == nil {
		_, ferr = br.Exec()
	}
	if err := br.Close(); ferr == nil {
		ferr = err
	}
	if ferr != nil {
		return nil, fmt.Errorf("file %d detections: %w", len(items), ferr)
	}
	return fresh, nil
}

// touchVehicleSQL records that a vehicle synced: when, its backlog, and its newest position.
const touchVehicleSQL = `UPDATE vehicles SET last_sync_at = $3, backlog = $4, oldest_unsent_s = $5,
	last_lat = CASE WHEN $8::timestamptz > coalesce(last_fix_at, '-infinity') THEN $6 ELSE last_lat END,
	last_lon = CASE WHEN $8::timestamptz > coalesce(last_fix_at, '-infinity') THEN $7 ELSE last_lon END,
	last_fix_at = greatest(last_fix_at, $8)
	WHERE agency_id = $1 AND number = $2`

// caches keeps what every batch would otherwise ask the database: the operators known to be
// on each roster (only those: an operator added is found at once, one removed is refused
// within rosterTTL), and each vehicle's kind and site.
type caches struct {
	mu       sync.Mutex
	roster   map[string]rosterEntry // agency -> active operators seen
	vehicles map[string]vehicleEntry
}

type rosterEntry struct {
	ids map[string]bool
	at  time.Time
}

type vehicleEntry struct {
	kind     string
	lat, lon float64
	at       time.Time
}

const (
	rosterTTL  = 5 * time.Second
	vehicleTTL = time.Minute
)

func (c *caches) knownOperators(agency string, ids []string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.roster[agency]
	if !ok || now.Sub(e.at) > rosterTTL {
		return false
	}
	for _, id := range ids {
		if !e.ids[id] {
			return false
		}
	}
	return true
}

func (c *caches) rememberOperators(agency string, ids []string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.roster == nil {
		c.roster = map[string]rosterEntry{}
	}
	e, ok := c.roster[agency]
	if !ok || now.Sub(e.at) > rosterTTL {
		e = rosterEntry{ids: map[string]bool{}, at: now}
	}
	for _, id := range ids {
		e.ids[id] = true
	}
	c.roster[agency] = e
}

func (c *caches) vehicle(agency, number string, now time.Time) (vehicleEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.vehicles[agency+"/"+number]
	return e, ok && now.Sub(e.at) <= vehicleTTL
}

func (c *caches) rememberVehicle(agency, number string, e vehicleEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.vehicles == nil {
		c.vehicles = map[string]vehicleEntry{}
	}
	c.vehicles[agency+"/"+number] = e
}

func hexBytes(s string) []byte {
	b, _ := hex.DecodeString(s) // checked by wire.Batch.Check
	return b
}
