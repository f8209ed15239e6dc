package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// List is one version of a hot list as the administrator imported it.
type List struct {
	Agency string
	wire.ListInfo
	Body       []byte
	ImportedBy string
}

// PutList stores body as the list's next version, unless it is byte for byte the current
// one (then the current version is returned unchanged, so a daily re-import of an unchanged
// file makes no car download anything). The caller has parsed the file.
func (db *DB) PutList(ctx context.Context, l List) (wire.ListInfo, error) {
	if l.Name == "" || l.Format == "" || l.Kind == "" || len(l.Body) == 0 {
		return wire.ListInfo{}, fmt.Errorf("import list %q: %w: name, format, kind and a body are required", l.Name, ErrInvalid)
	}
	sum := sha256.Sum256(l.Body)
	l.SHA256, l.Size, l.ImportedAt = hex.EncodeToString(sum[:]), int64(len(l.Body)), db.now()
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// Serialise imports of one list so two cannot take the same version.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))`, l.Agency, l.Name); err != nil {
			return err
		}
		var cur int64
		var curSum string
		err := tx.QueryRow(ctx, `SELECT version, sha256 FROM hot_lists WHERE agency_id = $1 AND name = $2
			ORDER BY version DESC LIMIT 1`, l.Agency, l.Name).Scan(&cur, &curSum)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if curSum == l.SHA256 {
			l.Version = cur
			return nil
		}
		l.Version = cur + 1
		if _, err := tx.Exec(ctx, `INSERT INTO hot_lists (agency_id, name, version, format, kind, priority, departmental,
			sha256, body, entries, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			l.Agency, l.Name, l.Version, l.Format, l.Kind, l.Priority, l.Departmental, l.SHA256, l.Body, l.Entries,
			l.ImportedAt, l.ImportedBy); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			l.Agency, l.ImportedAt, l.ImportedBy, "hotlist.import", fmt.Sprintf("%s version %d: %d entries, sha256 %s",
				l.Name, l.Version, l.Entries, l.SHA256))
		return err
	})
	if err != nil {
		return wire.ListInfo{}, fmt.Errorf("import list %s: %w", l.Name, err)
	}
	l.Path = wire.ListsPath + "/" + url.PathEscape(l.Name)
	return l.ListInfo, nil
}

const listColumns = `name, version, sha256, size, entries, format, kind, priority, departmental, imported_at`

func scanListInfo(r pgx.CollectableRow) (wire.ListInfo, error) {
	var l wire.ListInfo
	var size int64
	err := r.Scan(&l.Name, &l.Version, &l.SHA256, &size, &l.Entries, &l.Format, &l.Kind, &l.Priority, &l.Departmental, &l.ImportedAt)
	l.Size = size
	l.Path = wire.ListsPath + "/" + url.PathEscape(l.Name)
	return l, err
}

// distributable is true for a version that may reach the cars: a special list's only once
// the administrator approved that version (IV.C.2).
const distributable = `(kind <> 'special' OR approved_at IS NOT NULL)`

// Lists returns, for the agency's cars, the newest distributable version of each of the
// agency's lists by name, then the shareable lists of the agencies that share lists with it
// (IV.C.6), named AGENCY:NAME.
func (db *DB) Lists(ctx context.Context, agency string) ([]wire.ListInfo, error) {
	rows, err := db.pool.Query(ctx, `SELECT name, version, sha256, size, entries, format, kind, priority, departmental, imported_at
		FROM (SELECT DISTINCT ON (name) name, version, sha256, length(body)::bigint AS size, entries, format, kind,
			priority, departmental, imported_at FROM hot_lists WHERE agency_id = $1 AND `+distributable+`
			ORDER BY name, version DESC) own
		UNION ALL
		SELECT owner || ':' || name, version, sha256, size, entries, format, kind, priority, departmental, imported_at
		FROM (SELECT DISTINCT ON (l.agency_id, l.name) l.agency_id AS owner, l.name, l.version, l.sha256,
			length(l.body)::bigint AS size, l.entries, l.format, l.kind, l.priority, l.departmental, l.imported_at,
			l.share_approved_at
			FROM hot_lists l JOIN sharing_agreements a ON a.agency_id = l.agency_id AND a.partner_id = $1 AND a.shares_lists
			WHERE `+distributable+` ORDER BY l.agency_id, l.name, l.version DESC) shared
		WHERE NOT departmental OR share_approved_at IS NOT NULL
		ORDER BY 1`, agency)
	if err != nil {
		return nil, fmt.Errorf("list hot lists: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanListInfo)
	if err != nil {
		return nil, fmt.Errorf("list hot lists: %w", err)
	}
	return out, nil
}

// ListFile returns, for the agency's cars, the file of a list its index names: one of its
// own, or AGENCY:NAME shared with it. Anything else is not found, so that a list not shared
// is not even confirmed to exist.
func (db *DB) ListFile(ctx context.Context, agency, name string) (wire.ListInfo, []byte, error) {
	var body []byte
	var info wire.ListInfo
	owner, list := agency, name
	shared := false
	if o, l, ok := strings.Cut(name, ":"); ok {
		owner, list, shared = o, l, true
	}
	err := db.pool.QueryRow(ctx, `SELECT name, version, sha256, length(body)::bigint, entries, format, kind, priority,
		departmental, imported_at, body FROM hot_lists l WHERE agency_id = $1 AND name = $2 AND `+distributable+`
		AND (NOT $4 OR (EXISTS (SELECT 1 FROM sharing_agreements a WHERE a.agency_id = $1 AND a.partner_id = $3 AND a.shares_lists)
			AND (NOT departmental OR share_approved_at IS NOT NULL)))
		ORDER BY version DESC LIMIT 1`,
		owner, list, agency, shared).Scan(&info.Name, &info.Version, &info.SHA256, &info.Size, &info.Entries, &info.Format, &info.Kind,
		&info.Priority, &info.Departmental, &info.ImportedAt, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return wire.ListInfo{}, nil, fmt.Errorf("list %s: %w", name, ErrNotFound)
	}
	info.Name = name
	if err != nil {
		return wire.ListInfo{}, nil, fmt.Errorf("read list %s: %w", name, err)
	}
	info.Path = wire.ListsPath + "/" + url.PathEscape(info.Name)
	return info, body, nil
}
