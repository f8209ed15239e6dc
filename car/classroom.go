package car

import (
	"context"
	"fmt"
	"strings"
	"time"

	"patrol-alpr/classroom"
)

// setUpClassroom builds the simulated cameras, seeds the training accounts and wires the
// trainer's scenarios to the simulated parts.
func (s *system) setUpClassroom(ctx context.Context) error {
	rig, err := classroom.NewRig(1, 15)
	if err != nil {
		return err
	}
	s.rig = rig
	if err := classroom.Seed(ctx, s.db, time.Now()); err != nil {
		return fmt.Errorf("set up classroom: %w", err)
	}
	s.syncer.Sender = classroom.SimulatedServer{}
	var fix classroom.GPS = s.route
	if s.fixGate != nil {
		fix = s.fixGate
	}
	s.class = &classroom.Classroom{
		Road: rig, Cameras: rig, GPS: fix, Server: s.syncer, HotPlates: s.db,
		Wipe: s.wipeTraining,
	}
	return nil
}

// wipeTraining returns the classroom database to its first state.
func (s *system) wipeTraining(ctx context.Context) error {
	if err := s.Deactivate(ctx); err != nil {
		return err
	}
	if err := s.db.WipeTraining(ctx); err != nil {
		return err
	}
	if err := classroom.Seed(ctx, s.db, time.Now()); err != nil {
		return err
	}
	hits, err := s.lists.Refresh(ctx)
	s.lateHits(ctx, hits)
	return err
}

// classroomHint tells the class which training accounts to sign in with.
func classroomHint() string {
	var parts []string
	for _, a := range classroom.Accounts(time.Now()) {
		parts = append(parts, fmt.Sprintf("%s / %s (%s)", a.Operator.ID, a.PIN, a.Operator.Name))
	}
	return "Training accounts: " + strings.Join(parts, " · ")
}
