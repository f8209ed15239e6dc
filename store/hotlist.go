package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// OfficerList is the hot list that holds officer-entered hot plates (IV.D).
const OfficerList = "OFFICER"

// MaxHotPlateLife is the longest an officer hot plate may stay on the list (IV.D.1).
const MaxHotPlateLife = 30 * 24 * time.Hour

const hotListColumns = `name, kind, priority, informational, covert, tolerance, departmental, share_approved,
	source, version, loaded_at, entries`

const hotEntryColumns = `id, list, plate, state, code, reason, ncic_number, vehicle_year, vehicle_make,
	vehicle_model, vehicle_color, entered_by, phone, dr_number, synopsis, entered_at, expires_at,
	priority, informational, covert`

// ReplaceHotList replaces a list and all its entries in one transaction (IV.C.1: the
// newest data overwrites the old), so the matcher never sees half a list.
func (db *DB) ReplaceHotList(ctx context.Context, l alpr.HotList, entries []alpr.HotEntry) error {
	if strings.TrimSpace(l.Name) == "" {
		return fmt.Errorf("replace hot list: %w: no name", ErrInvalid)
	}
	for i, e := range entries {
		if e.Plate == "" || alpr.NormalizePlate(e.Plate) != e.Plate {
			return fmt.Errorf("replace hot list %s: %w: entry %d plate %q is not normalised", l.Name, ErrInvalid, i+1, e.Plate)
		}
	}
	if l.LoadedAt.IsZero() {
		l.LoadedAt = db.now().UTC()
	}
	l.Entries = len(entries)
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		if err := putHotList(ctx, tx, l); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM hot_entries WHERE list = ?`, l.Name); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO hot_entries (`+hotEntryColumns[len("id, "):]+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, e := range entries {
			e.List = l.Name
			if _, err := ins.ExecContext(ctx, hotEntryArgs(e)...); err != nil {
				return fmt.Errorf("entry %s: %w", e.Plate, err)
			}
		}
		return db.audit(ctx, tx, actorSystem, ActionHotListLoad,
			fmt.Sprintf("list %s (%s): %d entries, version %s, from %s", l.Name, l.Kind, l.Entries, l.Version, l.Source))
	})
	if err != nil {
		return fmt.Errorf("replace hot list %s: %w", l.Name, err)
	}
	return nil
}

func putHotList(ctx context.Context, tx *sql.Tx, l alpr.HotList) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO hot_lists (`+hotListColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, priority = excluded.priority,
			informational = excluded.informational, covert = excluded.covert, tolerance = excluded.tolerance,
			departmental = excluded.departmental, share_approved = excluded.share_approved,
			source = excluded.source, version = excluded.version, loaded_at = excluded.loaded_at,
			entries = excluded.entries`,
		l.Name, string(l.Kind), l.Priority, l.Informational, l.Covert, int(l.Tolerance), l.Departmental,
		l.ShareApproved, l.Source, l.Version, l.LoadedAt.UnixNano(), l.Entries)
	return err
}

func hotEntryArgs(e alpr.HotEntry) []any {
	return []any{e.List, e.Plate, e.State, e.Code, e.Reason, e.NCICNumber, e.VehicleYear, e.VehicleMake,
		e.VehicleModel, e.VehicleColor, e.EnteredBy, e.Phone, e.DRNumber, e.Synopsis, nanos(e.EnteredAt),
		nanos(e.ExpiresAt), e.Priority, e.Informational, e.Covert}
}

// HotLists returns every list's description, by name.
func (db *DB) HotLists(ctx context.Context) ([]alpr.HotList, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+hotListColumns+` FROM hot_lists ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("hot lists: %w", err)
	}
	defer rows.Close()
	var out []alpr.HotList
	for rows.Next() {
		var l alpr.HotList
		var kind string
		var tol int
		var loaded int64
		if err := rows.Scan(&l.Name, &kind, &l.Priority, &l.Informational, &l.Covert, &tol, &l.Departmental,
			&l.ShareApproved, &l.Source, &l.Version, &loaded, &l.Entries); err != nil {
			return nil, fmt.Errorf("hot lists: %w", err)
		}
		l.Kind, l.Tolerance, l.LoadedAt = alpr.ListKind(kind), alpr.Tolerance(tol), time.Unix(0, loaded).UTC()
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("hot lists: %w", err)
	}
	return out, nil
}

// HotEntries returns the entries of one list.
func (db *DB) HotEntries(ctx context.Context, list string) ([]alpr.HotEntry, error) {
	es, err := db.hotEntries(ctx, `WHERE list = ? ORDER BY id`, list)
	if err != nil {
		return nil, fmt.Errorf("hot entries of %s: %w", list, err)
	}
	return es, nil
}

// AddHotPlate stores an officer-entered hot plate on OfficerList, queues it for the
// other cars and audits it. ExpiresAt is required and at most MaxHotPlateLife after
// EnteredAt (IV.D.1). It sets e.ID and e.List.
func (db *DB) AddHotPlate(ctx context.Context, e *alpr.HotEntry) error {
	if e.Plate == "" || alpr.NormalizePlate(e.Plate) != e.Plate {
		return fmt.Errorf("add hot plate: %w: plate %q is not normalised", ErrInvalid, e.Plate)
	}
	if strings.TrimSpace(e.EnteredBy) == "" {
		return fmt.Errorf("add hot plate %s: %w: no entering officer (IV.D.2.a)", e.Plate, ErrInvalid)
	}
	if e.EnteredAt.IsZero() {
		e.EnteredAt = db.now().UTC()
	}
	if e.ExpiresAt.IsZero() || !e.ExpiresAt.After(e.EnteredAt) || e.ExpiresAt.Sub(e.EnteredAt) > MaxHotPlateLife {
		return fmt.Errorf("add hot plate %s: %w: expiry must be within %v of entry (IV.D.1)", e.Plate, ErrInvalid, MaxHotPlateLife)
	}
	e.List = OfficerList
	uuid := wire.NewUUID()
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO hot_lists (name, kind, priority, loaded_at) VALUES (?, ?, 0, ?)
			ON CONFLICT (name) DO NOTHING`, OfficerList, string(alpr.Officer), db.now().UnixNano()); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO hot_entries (uuid, `+hotEntryColumns[len("id, "):]+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append([]any{uuid}, hotEntryArgs(*e)...)...).Scan(&e.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hot_lists SET entries = (SELECT count(*) FROM hot_entries WHERE list = ?)
			WHERE name = ?`, OfficerList, OfficerList); err != nil {
			return err
		}
		if err := db.enqueue(ctx, tx, KindHotPlate, struct {
			UUID string `json:"uuid"`
			alpr.HotEntry
		}{uuid, *e}); err != nil {
			return err
		}
		return db.audit(ctx, tx, e.EnteredBy, ActionHotPlateAdd, fmt.Sprintf("plate %s %s, DR %s, expires %s: %s",
			e.Plate, e.State, e.DRNumber, e.ExpiresAt.UTC().Format(time.RFC3339), e.Synopsis))
	})
	if err != nil {
		return fmt.Errorf("add hot plate %s: %w", e.Plate, err)
	}
	return nil
}

// HotPlates returns the officer hot plates that have not expired at now.
func (db *DB) HotPlates(ctx context.Context, now time.Time) ([]alpr.HotEntry, error) {
	es, err := db.hotEntries(ctx, `WHERE list = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY id`,
		OfficerList, now.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("hot plates: %w", err)
	}
	return es, nil
}

func (db *DB) hotEntries(ctx context.Context, where string, args ...any) ([]alpr.HotEntry, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+hotEntryColumns+` FROM hot_entries `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alpr.HotEntry
	for rows.Next() {
		var e alpr.HotEntry
		var entered, expires sql.NullInt64
		if err := rows.Scan(&e.ID, &e.List, &e.Plate, &e.State, &e.Code, &e.Reason, &e.NCICNumber, &e.VehicleYear,
			&e.VehicleMake, &e.VehicleModel, &e.VehicleColor, &e.EnteredBy, &e.Phone, &e.DRNumber, &e.Synopsis,
			&entered, &expires, &e.Priority, &e.Informational, &e.Covert); err != nil {
			return nil, err
		}
		e.EnteredAt, e.ExpiresAt = fromNanos(entered), fromNanos(expires)
		out = append(out, e)
	}
	return out, rows.Err()
}
