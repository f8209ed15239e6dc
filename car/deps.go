package car

import (
	"path/filepath"

	"patrol-alpr/app"
	"patrol-alpr/hotlist"
)

// deps hands the screens what they need.
func (s *system) deps() app.Deps {
	d := app.Deps{
		Login:            s.db,
		Patrol:           s,
		Dispositions:     s.db,
		Search:           s.db,
		HotPlates:        hotPlateDesk{s},
		Equipment:        s.db,
		Operators:        s.db,
		HitLog:           s.db,
		ValidateHotPlate: hotlist.ValidateHotPlate,
		VehicleNumber:    s.cfg.VehicleNumber,
		IdleLock:         s.cfg.IdleLock.Duration,
		Training:         s.cfg.Classroom,
	}
	if s.alarm != nil {
		d.Alarm = s.alarm
	}
	if s.server != nil {
		d.ServerCheck = s
	}
	if s.class != nil {
		d.LoginHint = classroomHint()
		d.Trainer = s.class
		d.Review = s.db
		d.CertificateDir = filepath.Join(s.cfg.DataDir, "certificates")
	}
	return d
}
