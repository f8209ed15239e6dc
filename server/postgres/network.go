package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// Agreement is one direction of sharing between two agencies of the network (IV.B.1):
// Agency shares with Partner.
type Agreement struct {
	Agency       string
	Partner      string
	MaySearch    bool // the partner may search the agency's detections
	ReceivesHits bool // the agency's detections are matched against the partner's lists
	SharesLists  bool // the agency's shareable lists reach the partner's cars
}

// PutAgreement records or changes an agreement, audited at the sharing agency.
func (db *DB) PutAgreement(ctx context.Context, a Agreement, by string) error {
	if a.Agency == "" || a.Partner == "" || a.Agency == a.Partner {
		return fmt.Errorf("put agreement: %w: two different agencies", ErrInvalid)
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sharing_agreements (agency_id, partner_id, may_search, receives_hits,
			shares_lists, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (agency_id, partner_id) DO UPDATE SET may_search = excluded.may_search,
			receives_hits = excluded.receives_hits, shares_lists = excluded.shares_lists`,
			a.Agency, a.Partner, a.MaySearch, a.ReceivesHits, a.SharesLists, db.now(), by); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			a.Agency, db.now(), by, "sharing.agreement", fmt.Sprintf("with %s: search %t, hits %t, lists %t",
				a.Partner, a.MaySearch, a.ReceivesHits, a.SharesLists))
		return err
	})
	if err != nil {
		return fmt.Errorf("put agreement %s -> %s: %w", a.Agency, a.Partner, err)
	}
	return nil
}

// HitReceivers names the agencies whose lists a detection of agency is matched against: the
// agency itself and every partner it shares hits with.
func (db *DB) HitReceivers(ctx context.Context, agency string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT $1::text UNION SELECT partner_id FROM sharing_agreements
		WHERE agency_id = $1 AND receives_hits`, agency)
	if err != nil {
		return nil, fmt.Errorf("find who receives %s's hits: %w", agency, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find who receives %s's hits: %w", agency, err)
	}
	return out, nil
}

// Shareable reports whether a list may cross agencies: not departmental, or approved for
// sharing by its administrator (IV.C.6).
func Shareable(l wire.ListInfo, approved bool) bool { return !l.Departmental || approved }

// MatchList is a list with its file, for the server's matcher.
type MatchList struct {
	Agency    string
	Info      wire.ListInfo
	Shareable bool
	Body      []byte
}

// ListVersions returns the agency's current lists without their files (a cheap check of
// whether the matcher's copy is current).
func (db *DB) ListVersions(ctx context.Context, agency string) ([]MatchList, error) {
	return db.matchLists(ctx, agency, false)
}

// MatchLists returns the agency's current lists with their files.
func (db *DB) MatchLists(ctx context.Context, agency string) ([]MatchList, error) {
	return db.matchLists(ctx, agency, true)
}

func (db *DB) matchLists(ctx context.Context, agency string, bodies bool) ([]MatchList, error) {
	body := `''::bytea`
	if bodies {
		body = `body`
	}
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT ON (name) name, version, sha256, format, kind, priority, departmental,
		share_approved_at IS NOT NULL, `+body+` FROM hot_lists WHERE agency_id = $1 AND `+distributable+`
		ORDER BY name, version DESC`, agency)
	if err != nil {
		return nil, fmt.Errorf("read %s's lists: %w", agency, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MatchList, error) {
		m := MatchList{Agency: agency}
		var approved bool
		err := r.Scan(&m.Info.Name, &m.Info.Version, &m.Info.SHA256, &m.Info.Format, &m.Info.Kind, &m.Info.Priority,
			&m.Info.Departmental, &approved, &m.Body)
		m.Shareable = Shareable(m.Info, approved)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("read %s's lists: %w", agency, err)
	}
	return out, nil
}

// ApproveListSharing records the administrator's approval (IV.C.6) of a departmental list's
// current and later versions for sharing, audited.
func (db *DB) ApproveListSharing(ctx context.Context, agency, name, by string) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE hot_lists SET share_approved_at = $3, share_approved_by = $4
			WHERE agency_id = $1 AND name = $2 AND share_approved_at IS NULL`, agency, name, db.now(), by)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("list %s: %w (or approved already)", name, ErrNotFound)
		}
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, db.now(), by, "hotlist.share_approve", "list "+name)
		return err
	})
	if err != nil {
		return fmt.Errorf("approve sharing of list %s: %w", name, err)
	}
	return nil
}

// SetPosition records where a car is, for the radius of network hits.
func (db *DB) SetPosition(ctx context.Context, agency, vehicle string, p wire.Position) error {
	if p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 || p.At.IsZero() {
		return fmt.Errorf("position of %s: %w: out of range", vehicle, ErrInvalid)
	}
	_, err := db.pool.Exec(ctx, `UPDATE vehicles SET last_lat = $3, last_lon = $4, position_at = $5
		WHERE agency_id = $1 AND number = $2 AND (position_at IS NULL OR position_at < $5)`, agency, vehicle, p.Lat, p.Lon, p.At)
	if err != nil {
		return fmt.Errorf("record position of %s: %w", vehicle, err)
	}
	return nil
}

// Car is a patrol car near a sighting.
type Car struct {
	Vehicle    string
	DistanceKm float64
}

// CarsNear returns the agency's cars whose last position, no older than maxAge, is within
// radiusKm of (lat, lon), nearest first; except is left out (the car that saw the plate).
func (db *DB) CarsNear(ctx context.Context, agency string, lat, lon, radiusKm float64, maxAge time.Duration, except string) ([]Car, error) {
	// A box on latitude first, then the great-circle distance.
	dLat := radiusKm / 111.2
	rows, err := db.pool.Query(ctx, `SELECT number, d FROM (
		SELECT number, 2 * 6371.0 * asin(sqrt(power(sin(radians(last_lat - $2) / 2), 2)
			+ cos(radians($2)) * cos(radians(last_lat)) * power(sin(radians(last_lon - $3) / 2), 2))) AS d
		FROM vehicles WHERE agency_id = $1 AND kind = 'car' AND number <> $7 AND last_lat BETWEEN $2 - $5 AND $2 + $5
			AND greatest(position_at, last_fix_at) > $6) v
		WHERE d <= $4 ORDER BY d, number`, agency, lat, lon, radiusKm, dLat, db.now().Add(-maxAge), except)
	if err != nil {
		return nil, fmt.Errorf("find %s's cars near %.4f,%.4f: %w", agency, lat, lon, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Car, error) {
		var c Car
		err := r.Scan(&c.Vehicle, &c.DistanceKm)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("find %s's cars near %.4f,%.4f: %w", agency, lat, lon, err)
	}
	return out, nil
}

// Event is one event for one car.
type Event struct {
	ID      int64
	Vehicle string
	Kind    string
	Payload json.RawMessage
	At      time.Time
}

// SaveNetworkHit stores a network hit and one event for each car it goes to, in one
// transaction, and returns the events (with their ids) to push.
func (db *DB) SaveNetworkHit(ctx context.Context, h wire.NetworkHit, cars []Car) ([]Event, error) {
	match, err := json.Marshal(h.Match)
	if err != nil {
		return nil, err
	}
	var events []Event
	now := db.now()
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		d := h.Detection
		var lat, lon *float64
		if d.Fix.Valid() {
			lat, lon = &d.Fix.Lat, &d.Fix.Lon
		}
		if _, err := tx.Exec(ctx, `INSERT INTO network_hits (agency_id, id, detection_agency, detection_uuid, detection_vehicle,
			camera, seen_at, lat, lon, plate, list_name, match, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			h.Agency, h.ID, h.DetectingAgency, d.UUID, h.DetectingVehicle, string(d.Camera), d.SeenAt, lat, lon, d.Plate,
			h.Match.Entry.List, match, now); err != nil {
			return err
		}
		if len(cars) == 0 {
			return nil
		}
		// One statement for every car's event, in the cars' order (nearest first).
		vehicles := make([]string, len(cars))
		payloads := make([]string, len(cars))
		for i, c := range cars {
			h.DistanceKm = c.DistanceKm
			p, err := json.Marshal(h)
			if err != nil {
				return err
			}
			vehicles[i], payloads[i] = c.Vehicle, string(p)
		}
		rows, err := tx.Query(ctx, `INSERT INTO car_events (agency_id, vehicle, kind, payload, created_at)
			SELECT $1, v, $2, p::jsonb, $3 FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS u(v, p, n) ORDER BY n
			RETURNING id, vehicle, payload`, h.Agency, wire.EventNetworkHit, now, vehicles, payloads)
		if err != nil {
			return err
		}
		events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
			e := Event{Kind: wire.EventNetworkHit, At: now}
			err := r.Scan(&e.ID, &e.Vehicle, &e.Payload)
			return e, err
		})
		if err != nil {
			return err
		}
		slices.SortFunc(events, func(a, b Event) int { return cmp.Compare(a.ID, b.ID) })
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save network hit on %s for %s: %w", h.Detection.Plate, h.Agency, err)
	}
	return events, nil
}

// EventsAfter returns a car's events after id that are no older than window, oldest first.
func (db *DB) EventsAfter(ctx context.Context, agency, vehicle string, after int64, window time.Duration) ([]Event, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, vehicle, kind, payload, created_at FROM car_events
		WHERE agency_id = $1 AND vehicle = $2 AND id > $3 AND created_at >= $4 ORDER BY id`,
		agency, vehicle, after, db.now().Add(-window))
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", vehicle, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		err := r.Scan(&e.ID, &e.Vehicle, &e.Kind, &e.Payload, &e.At)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", vehicle, err)
	}
	return out, nil
}

// VehicleKind says whether a vehicle is a car or a fixed camera, and a fixed site's position.
func (db *DB) VehicleKind(ctx context.Context, agency, vehicle string) (kind string, lat, lon float64, err error) {
	err = db.pool.QueryRow(ctx, `SELECT kind, coalesce(fixed_lat, 0), coalesce(fixed_lon, 0) FROM vehicles
		WHERE agency_id = $1 AND number = $2`, agency, vehicle).Scan(&kind, &lat, &lon)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, 0, fmt.Errorf("vehicle %s: %w", vehicle, ErrUnknownVehicle)
	}
	if err != nil {
		return "", 0, 0, fmt.Errorf("read vehicle %s: %w", vehicle, err)
	}
	return kind, lat, lon, nil
}

// Image returns one of the agency's images by its SHA-256.
func (db *DB) Image(ctx context.Context, agency string, sha []byte) ([]byte, error) {
	var b []byte
	err := db.pool.QueryRow(ctx, `SELECT data FROM images WHERE agency_id = $1 AND sha256 = $2`, agency, sha).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("image: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	return b, nil
}

// NetworkHitOutcome is a network hit as either agency sees it: the one whose car or camera saw
// the plate, and the one whose list it was on, with the receiving officer's disposition.
type NetworkHitOutcome struct {
	ID                                  string
	Receiver, DetectingAgency, Detector string
	Plate, List                         string
	SeenAt, SentAt                      time.Time
	Outcome, Reason                     string // empty: no disposition yet
	DisposedAt                          time.Time
}

// NetworkHitOutcomes lists the network hits on the agency's detections and on its lists,
// newest first, with the latest disposition of each (III.C.5.b: the outcome reaches the
// agency that saw the plate).
func (db *DB) NetworkHitOutcomes(ctx context.Context, agency string, limit int) ([]NetworkHitOutcome, error) {
	rows, err := db.pool.Query(ctx, `SELECT n.id::text, n.agency_id, n.detection_agency, n.detection_vehicle, n.plate,
		n.list_name, n.seen_at, n.created_at, coalesce(d.outcome, ''), coalesce(d.reason, ''), coalesce(d.at, 'epoch')
		FROM network_hits n LEFT JOIN LATERAL (SELECT outcome, reason, at FROM dispositions p
			WHERE p.agency_id = n.agency_id AND p.hit_uuid = n.id ORDER BY at DESC LIMIT 1) d ON true
		WHERE n.agency_id = $1 OR n.detection_agency = $1 ORDER BY n.created_at DESC LIMIT $2`, agency, limit)
	if err != nil {
		return nil, fmt.Errorf("read network hits: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (NetworkHitOutcome, error) {
		var o NetworkHitOutcome
		err := r.Scan(&o.ID, &o.Receiver, &o.DetectingAgency, &o.Detector, &o.Plate, &o.List, &o.SeenAt, &o.SentAt,
			&o.Outcome, &o.Reason, &o.DisposedAt)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("read network hits: %w", err)
	}
	return out, nil
}
