package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// Sighting is a detection Ingest filed for the first time, for the network matcher.
type Sighting struct {
	Agency    string
	Vehicle   string
	Fixed     bool           // a fixed camera's: its position is the site's
	Detection alpr.Detection // with its plate crop
}

// Ingest files one batch from a vehicle of agency in one transaction and only then names the
// keys stored: every key of the batch, new or seen before. A key seen before is not inserted
// again. A batch that cannot be filed whole (a payload the server cannot read, an operator
// not on the roster) changes nothing. The caller has checked b with wire's rules and that
// the vehicle is the certificate's. The detections filed for the first time are returned
// for network matching.
func (db *DB) Ingest(ctx context.Context, agency string, b wire.Batch) (wire.Reply, []Sighting, error) {
	now := db.now()
	items, err := decodeItems(b, now)
	if err != nil {
		return wire.Reply{}, nil, err
	}
	if err := db.checkOperators(ctx, agency, items); err != nil {
		return wire.Reply{}, nil, err
	}
	v, ok := db.cache.vehicle(agency, b.Vehicle, now)
	if !ok {
		kind, lat, lon, err := db.VehicleKind(ctx, agency, b.Vehicle)
		if err != nil {
			return wire.Reply{}, nil, err
		}
		v = vehicleEntry{kind: kind, lat: lat, lon: lon, at: now}
		db.cache.rememberVehicle(agency, b.Vehicle, v)
	}
	kind, siteLat, siteLon := v.kind, v.lat, v.lon
	for _, it := range items {
		if it.det != nil && !it.expired {
			if kind == "fixed" && !it.det.Fix.Valid() {
				it.det.Fix = alpr.Fix{Lat: siteLat, Lon: siteLon, Time: it.det.SeenAt, Quality: alpr.Fix3D}
			}
			if err := db.ensurePartition(ctx, it.det.SeenAt); err != nil {
				return wire.Reply{}, nil, err
			}
		}
	}
	var fresh map[string]bool
	onlyDetections := true
	for _, it := range items {
		onlyDetections = onlyDetections && it.det != nil
	}
	if onlyDetections {
		fresh, err = db.fileDetections(ctx, agency, b, items, now)
	} else {
		fresh, err = db.fileMixed(ctx, agency, b, items, now)
	}
	if err != nil {
		return wire.Reply{}, nil, fmt.Errorf("ingest %d items from vehicle %s: %w", len(b.Items), b.Vehicle, err)
	}
	reply := wire.Reply{Stored: make([]string, len(b.Items)), Duplicates: len(b.Items) - len(fresh)}
	for i, it := range b.Items {
		reply.Stored[i] = it.Key
	}
	var seen []Sighting
	for _, it := range items {
		if it.det != nil && !it.expired && fresh[it.Key] {
			seen = append(seen, Sighting{Agency: agency, Vehicle: b.Vehicle, Fixed: kind == "fixed", Detection: *it.det})
		}
	}
	return reply, seen, nil
}

// fileMixed files a batch of several kinds in one transaction: the keys first, then what is
// new, the audit chain continued with the vehicle's head locked.
func (db *DB) fileMixed(ctx context.Context, agency string, b wire.Batch, items []item, now time.Time) (map[string]bool, error) {
	var fresh map[string]bool
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		if fresh, err = insertKeys(ctx, tx, agency, b, now); err != nil {
			return err
		}
		if len(fresh) == 0 {
			return touchVehicle(ctx, tx, agency, b, nil, now)
		}
		var q pgx.Batch
		var last *alpr.Detection
		var audits []wire.AuditRecord
		for _, it := range items {
			if !fresh[it.Key] {
				continue
			}
			if it.audit != nil {
				audits = append(audits, *it.audit)
				continue
			}
			if err := queueItem(&q, agency, b.Vehicle, it, now); err != nil {
				return err
			}
			if it.det != nil && it.det.Fix.Valid() && (last == nil || it.det.SeenAt.After(last.SeenAt)) {
				last = it.det
			}
		}
		if len(audits) > 0 {
			if err := continueChain(ctx, tx, &q, agency, b.Vehicle, audits, now); err != nil {
				return err
			}
		}
		if err := tx.SendBatch(ctx, &q).Close(); err != nil {
			return fmt.Errorf("file %d new items: %w", len(fresh), err)
		}
		return touchVehicle(ctx, tx, agency, b, last, now)
	})
	return fresh, err
}

// item is a batch item with its payload decoded for its kind.
type item struct {
	wire.Item
	det     *alpr.Detection
	expired bool // a detection older than retention: its key is kept, the record is not
	hit     *alpr.Hit
	disp    *dispositionPayload
	hot     *hotPlatePayload
	hold    *holdPayload
	equip   *equipmentPayload
	audit   *wire.AuditRecord

	plateSum, sceneSum []byte // the images' SHA-256, checked by wire on arrival
}

type dispositionPayload struct {
	HitUUID string `json:"hit_uuid"`
	alpr.Disposition
}

type hotPlatePayload struct {
	UUID string `json:"uuid"`
	alpr.HotEntry
}

type holdPayload struct {
	DetectionUUID string    `json:"detection_uuid"`
	CaseNumber    string    `json:"case_number"`
	OperatorID    string    `json:"operator_id"`
	HeldAt        time.Time `json:"held_at"`
}

type equipmentPayload struct {
	UUID       string    `json:"uuid"`
	Camera     string    `json:"camera"`
	Problem    string    `json:"problem"`
	Note       string    `json:"note"`
	OperatorID string    `json:"operator_id"`
	At         time.Time `json:"at"`
}

// decodeItems reads every payload before anything is written, so that one the server
// cannot file refuses the whole batch (400) instead of half of it.
func decodeItems(b wire.Batch, now time.Time) ([]item, error) {
	out := make([]item, len(b.Items))
	oldest := now.AddDate(-Retention, 0, 0)
	for i, wi := range b.Items {
		it := item{Item: wi}
		bad := func(why string, args ...any) error {
			return fmt.Errorf("%w: item %d (%s %s): %s", ErrInvalid, i, wi.Kind, wi.Key, fmt.Sprintf(why, args...))
		}
		var err error
		switch wi.Kind {
		case wire.KindDetection:
			it.det = new(alpr.Detection)
			if err = json.Unmarshal(wi.Payload, it.det); err == nil {
				switch {
				case !wire.ValidUUID(it.det.UUID):
					return nil, bad("detection uuid %q is not a UUID", it.det.UUID)
				case it.det.Plate == "" || it.det.Camera == "" || it.det.SeenAt.IsZero():
					return nil, bad("plate, camera and time are required")
				case it.det.SeenAt.After(now.Add(24 * time.Hour)):
					return nil, bad("seen at %s, more than a day ahead of the server's clock", it.det.SeenAt.Format(time.RFC3339))
				}
				it.expired = it.det.SeenAt.Before(oldest)
				for _, im := range wi.Images {
					if im.Role == wire.ImagePlate {
						it.det.PlateJPEG, it.plateSum = im.Data, hexBytes(im.SHA256)
					} else {
						it.det.SceneJPEG, it.sceneSum = im.Data, hexBytes(im.SHA256)
					}
				}
			}
		case wire.KindHit:
			it.hit = new(alpr.Hit)
			if err = json.Unmarshal(wi.Payload, it.hit); err == nil && (!wire.ValidUUID(it.hit.UUID) || !wire.ValidUUID(it.hit.DetectionUUID) || it.hit.Match.Entry.List == "") {
				return nil, bad("a hit needs its uuid, its detection and its list")
			}
		case wire.KindDisposition:
			it.disp = new(dispositionPayload)
			if err = json.Unmarshal(wi.Payload, it.disp); err == nil && (!wire.ValidUUID(it.disp.HitUUID) || it.disp.Outcome == "") {
				return nil, bad("a disposition needs its hit and an outcome")
			}
		case wire.KindHotPlate:
			it.hot = new(hotPlatePayload)
			if err = json.Unmarshal(wi.Payload, it.hot); err == nil && (!wire.ValidUUID(it.hot.UUID) || it.hot.Plate == "") {
				return nil, bad("a hot plate needs its uuid and a plate")
			}
		case wire.KindEvidenceHold:
			it.hold = new(holdPayload)
			if err = json.Unmarshal(wi.Payload, it.hold); err == nil && (!wire.ValidUUID(it.hold.DetectionUUID) || it.hold.CaseNumber == "") {
				return nil, bad("a hold needs a detection and a case number")
			}
		case wire.KindEquipment:
			it.equip = new(equipmentPayload)
			if err = json.Unmarshal(wi.Payload, it.equip); err == nil && (!wire.ValidUUID(it.equip.UUID) || it.equip.Problem == "") {
				return nil, bad("an equipment report needs its uuid and a problem")
			}
		case wire.KindAudit:
			it.audit = new(wire.AuditRecord)
			if err = json.Unmarshal(wi.Payload, it.audit); err == nil && it.audit.Seq <= 0 {
				return nil, bad("an audit entry needs its sequence number")
			}
		default:
			return nil, bad("unknown kind")
		}
		if err != nil {
			return nil, bad("payload: %v", err)
		}
		out[i] = it
	}
	return out, nil
}

// checkOperators refuses a batch holding a record made by someone not on the agency's
// active roster. Audit entries are exempt: they record what happened in the car, failed
// sign-ins by unknown ids included, and refusing one would break the chain.
func (db *DB) checkOperators(ctx context.Context, agency string, items []item) error {
	var ids []string
	for _, it := range items {
		if it.audit != nil {
			continue
		}
		if it.Operator == "" {
			return fmt.Errorf("%w: %s %s names no operator", ErrUnknownOperator, it.Kind, it.Key)
		}
		if !slices.Contains(ids, it.Operator) {
			ids = append(ids, it.Operator)
		}
	}
	if len(ids) == 0 || db.cache.knownOperators(agency, ids, db.now()) {
		return nil
	}
	rows, err := db.pool.Query(ctx, `SELECT operator_id FROM operators
		WHERE agency_id = $1 AND operator_id = ANY($2) AND active`, agency, ids)
	if err != nil {
		return fmt.Errorf("check operators: %w", err)
	}
	known, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("check operators: %w", err)
	}
	db.cache.rememberOperators(agency, known, db.now())
	for _, id := range ids {
		if !slices.Contains(known, id) {
			return fmt.Errorf("%w: %q", ErrUnknownOperator, id)
		}
	}
	return nil
}

// insertKeys records the batch's keys and returns those not seen before. A concurrent
// batch with the same keys waits on the first one's rows and then finds them there.
func insertKeys(ctx context.Context, tx pgx.Tx, agency string, b wire.Batch, now time.Time) (map[string]bool, error) {
	keys := make([]string, len(b.Items))
	kinds := make([]string, len(b.Items))
	seqs := make([]int64, len(b.Items))
	for i, it := range b.Items {
		keys[i], kinds[i], seqs[i] = it.Key, it.Kind, it.Seq
	}
	rows, err := tx.Query(ctx, `INSERT INTO sync_keys (agency_id, key, vehicle, kind, seq, received_at)
		SELECT $1, k, $2, kind, seq, $3 FROM unnest($4::uuid[], $5::text[], $6::bigint[]) AS u(k, kind, seq)
		ON CONFLICT (agency_id, key) DO NOTHING RETURNING key::text`, agency, b.Vehicle, now, keys, kinds, seqs)
	if err != nil {
		return nil, fmt.Errorf("record keys: %w", err)
	}
	fresh, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("record keys: %w", err)
	}
	out := make(map[string]bool, len(fresh))
	for _, k := range fresh {
		out[k] = true
	}
	// The database prints UUIDs in lower case; a car's key in upper case is the same key.
	for _, it := range b.Items {
		if lower := toLower(it.Key); lower != it.Key && out[lower] {
			out[it.Key] = true
		}
	}
	return out, nil
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// queueItem adds the statements that file one new item.
func queueItem(q *pgx.Batch, agency, vehicle string, it item, now time.Time) error {
	switch {
	case it.det != nil:
		if it.expired {
			return nil
		}
		return queueDetection(q, agency, vehicle, it.Operator, it.det, now)
	case it.hit != nil:
		h := it.hit
		match, err := json.Marshal(h.Match)
		if err != nil {
			return err
		}
		q.Queue(`INSERT INTO hits (agency_id, uuid, detection_uuid, vehicle, operator_id, list_name, listed_plate,
			read_plate, match_kind, state_check, late, raised_at, match)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
			agency, h.UUID, h.DetectionUUID, vehicle, it.Operator, h.Match.Entry.List, h.Match.Entry.Plate,
			h.Match.ReadPlate, string(h.Match.Kind), string(h.Match.State), h.Late, h.RaisedAt, match)
	case it.disp != nil:
		d := it.disp
		q.Queue(`INSERT INTO dispositions (agency_id, key, hit_uuid, outcome, reason, confirmed_by, note,
			report_number, evidence, operator_id, vehicle, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
			agency, it.Key, d.HitUUID, string(d.Outcome), d.Reason, d.ConfirmedBy, d.Note, d.ReportNumber,
			d.Evidence, it.Operator, vehicle, timeOr(d.At, it.CreatedAt))
	case it.hot != nil:
		e, err := json.Marshal(it.hot.HotEntry)
		if err != nil {
			return err
		}
		var expires *time.Time
		if !it.hot.ExpiresAt.IsZero() {
			expires = &it.hot.ExpiresAt
		}
		q.Queue(`INSERT INTO hot_plates (agency_id, uuid, vehicle, entered_by, plate, state, expires_at, entry)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			agency, it.hot.UUID, vehicle, it.Operator, it.hot.Plate, it.hot.State, expires, e)
	case it.hold != nil:
		h := it.hold
		q.Queue(`INSERT INTO evidence_holds (agency_id, id, detection_uuid, case_number, placed_by, placed_at, source)
			VALUES ($1, $2, $3, $4, $5, $6, 'car') ON CONFLICT DO NOTHING`,
			agency, it.Key, h.DetectionUUID, h.CaseNumber, it.Operator, timeOr(h.HeldAt, it.CreatedAt))
	case it.equip != nil:
		r := it.equip
		q.Queue(`INSERT INTO equipment_reports (agency_id, uuid, vehicle, operator_id, camera, problem, note, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			agency, r.UUID, vehicle, it.Operator, r.Camera, r.Problem, r.Note, timeOr(r.At, it.CreatedAt))
	}
	return nil
}

func queueDetection(q *pgx.Batch, agency, vehicle, operator string, d *alpr.Detection, now time.Time) error {
	alts, err := json.Marshal(d.Alternates)
	if err != nil {
		return err
	}
	var lat, lon *float64
	var fix []byte
	if d.Fix.Valid() {
		lat, lon = &d.Fix.Lat, &d.Fix.Lon
		if fix, err = json.Marshal(d.Fix); err != nil {
			return err
		}
	}
	var plateSum, sceneSum []byte
	for _, im := range [...]struct {
		data []byte
		sum  *[]byte
	}{{d.PlateJPEG, &plateSum}, {d.SceneJPEG, &sceneSum}} {
		if len(im.data) == 0 {
			continue
		}
		s := wire.NewImage("", im.data).SHA256
		*im.sum, _ = hex.DecodeString(s) // our own hex: cannot fail
		q.Queue(`INSERT INTO images (agency_id, sha256, data, size, last_seen_at, received_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_id, sha256) DO UPDATE
			SET last_seen_at = greatest(images.last_seen_at, excluded.last_seen_at)`,
			agency, *im.sum, im.data, len(im.data), d.SeenAt, now)
	}
	q.Queue(`INSERT INTO detections (agency_id, seen_at, uuid, vehicle, operator_id, camera, plate, state, confidence,
		alternates, lat, lon, fix, plate_sha256, scene_sha256, received_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT DO NOTHING`,
		agency, d.SeenAt, d.UUID, vehicle, operator, string(d.Camera), d.Plate, d.State, d.Confidence,
		alts, lat, lon, fix, plateSum, sceneSum, now)
	return nil
}

func timeOr(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

// touchVehicle records that the vehicle synced: when, its backlog, and its newest position.
func touchVehicle(ctx context.Context, tx pgx.Tx, agency string, b wire.Batch, last *alpr.Detection, now time.Time) error {
	var lat, lon *float64
	var at *time.Time
	if last != nil {
		lat, lon, at = &last.Fix.Lat, &last.Fix.Lon, &last.SeenAt
	}
	_, err := tx.Exec(ctx, touchVehicleSQL, agency, b.Vehicle, now, b.Backlog, b.OldestUnsent, lat, lon, at)
	if err != nil {
		return fmt.Errorf("record vehicle %s sync: %w", b.Vehicle, err)
	}
	return nil
}
