package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DeskDetection is a detection as the desk shows it, without its images.
type DeskDetection struct {
	UUID       string
	SeenAt     time.Time
	Vehicle    string
	Operator   string
	Camera     string
	Plate      string
	State      string
	Confidence float64
	Lat, Lon   float64
}

// LatestSearch returns the id of operator's latest search for a case, as filed in the
// query audit, so that the desk can offer to flag it as having aided the investigation.
func (db *DB) LatestSearch(ctx context.Context, agency, operator, caseNumber string) (string, error) {
	var id string
	err := db.pool.QueryRow(ctx, `SELECT id FROM searches WHERE agency_id = $1 AND operator_id = $2 AND case_number = $3
		ORDER BY at DESC LIMIT 1`, agency, operator, caseNumber).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("search for case %s: %w", caseNumber, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("find search for case %s: %w", caseNumber, err)
	}
	return id, nil
}
