package car

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"patrol-alpr/learn"
)

// checkRoster takes the agency's roster from the server at sign-in and shift start, keeps it,
// and refuses the cameras to an operator the roster does not allow (III.C.1-2): not on it,
// inactive, or certification lapsed. Offline, the last copy kept rules; a car that has never
// received one relies on its own operator records (which Activate checked already).
func (s *system) checkRoster(ctx context.Context, operatorID string) error {
	if s.server == nil {
		return nil
	}
	kept := learn.RosterCopy{Path: filepath.Join(s.cfg.DataDir, "roster.json")}
	fetch, cancel := context.WithTimeout(ctx, 5*time.Second)
	r, err := s.server.Roster(fetch)
	cancel()
	if err == nil {
		if err := kept.Save(r); err != nil {
			s.log.Error("keep roster", "err", err)
		}
	} else {
		s.log.Warn("roster: agency server not reached; using the copy kept", "err", err)
		if r, err = kept.Load(); errors.Is(err, learn.ErrNoRoster) {
			s.log.Warn("roster: none received yet; the car's own operator records decide")
			return nil
		} else if err != nil {
			return err
		}
	}
	return learn.MayOperate(r, operatorID, time.Now())
}
