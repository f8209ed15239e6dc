package car

import (
	"context"
	"errors"
	"fmt"
	"time"

	"patrol-alpr/learn"
)

// ShiftCheck is the operator's once-a-shift check that the system works (III.C.7): the
// server is asked for the shift's detections and they are compared with the car's. The
// result is audited and returned as the sentence the officer reads.
func (s *system) ShiftCheck(ctx context.Context) (string, error) {
	sh := s.Current()
	if sh.ID == 0 {
		return "", errors.New("no shift in progress")
	}
	if s.server == nil {
		return "", errors.New("no agency server configured")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	local, err := s.db.ShiftDetectionUUIDs(ctx, sh.ID)
	if err != nil {
		return "", err
	}
	remote, err := s.server.ShiftCheck(ctx, sh.OperatorID, sh.StartedAt)
	if err != nil {
		return "", err
	}
	queued, err := s.db.QueuedDetectionUUIDs(ctx)
	if err != nil {
		return "", err
	}
	msg := learn.Compare(local, remote.Detections, queued).String()
	if err := s.db.Audit(ctx, sh.OperatorID, "shift.check", msg); err != nil {
		return "", fmt.Errorf("record the shift check: %w", err)
	}
	s.mu.Lock()
	s.shiftChecked = sh.ID
	s.mu.Unlock()
	return msg, nil
}

// ShiftChecked reports whether this shift's check was done, for the reminder at its end.
func (s *system) ShiftChecked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shift.ID != 0 && s.shiftChecked == s.shift.ID
}
