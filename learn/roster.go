package learn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"patrol-alpr/wire"
)

// Roster asks the server for the agency's operators (III.C.1-2).
func (c Client) Roster(ctx context.Context) (wire.Roster, error) {
	var r wire.Roster
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+wire.RosterPath, nil)
	if err != nil {
		return r, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return r, fmt.Errorf("fetch roster: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return r, fmt.Errorf("fetch roster: %w: %s", ErrServer, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&r); err != nil {
		return r, fmt.Errorf("fetch roster: %w", err)
	}
	return r, nil
}

// RosterCopy keeps the last roster the server sent, so the car enforces it offline.
type RosterCopy struct{ Path string }

// ErrNoRoster means the car has never received a roster.
var ErrNoRoster = errors.New("no roster from the agency server yet")

// Save keeps r as the last copy, whole or not at all.
func (c RosterCopy) Save(r wire.Roster) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.Path), 0o700); err != nil {
		return fmt.Errorf("keep roster: %w", err)
	}
	return writeAtomic(c.Path, b)
}

// Load returns the last copy.
func (c RosterCopy) Load() (wire.Roster, error) {
	var r wire.Roster
	b, err := os.ReadFile(c.Path)
	if errors.Is(err, os.ErrNotExist) {
		return r, ErrNoRoster
	}
	if err != nil {
		return r, fmt.Errorf("read the kept roster: %w", err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("read the kept roster: %w", err)
	}
	return r, nil
}

// MayOperate says whether the roster lets operator id activate the cameras on day now: on it,
// active, and certified (when the roster records an end of certification, not past it).
func MayOperate(r wire.Roster, id string, now time.Time) error {
	for _, o := range r.Operators {
		if o.ID != id {
			continue
		}
		switch {
		case !o.Active:
			return fmt.Errorf("operator %s is not active on the agency's roster", id)
		case !o.CertifiedUntil.IsZero() && now.After(o.CertifiedUntil.Add(24*time.Hour)):
			return fmt.Errorf("operator %s's ALPR certification lapsed on %s (III.C.2): see the ALPR Administrator",
				id, o.CertifiedUntil.Format(time.DateOnly))
		}
		return nil
	}
	return fmt.Errorf("operator %s is not on the agency's roster (roster of %s)", id, r.At.Local().Format("2006-01-02 15:04"))
}
