package app

import (
	"context"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// Deps is what the screens need from the rest of the system. Login, Patrol and
// Dispositions are required; a nil optional part hides the screen that needs it.
type Deps struct {
	Login        Login        // sign-in and shift start
	Patrol       Patrol       // turns the cameras on for a trained operator
	Dispositions Dispositions // where Confirm / Reject is kept
	Search       Searcher     // detection search; nil hides Search and the shift check
	HotPlates    HotPlates    // officer hot plate entry; nil hides the form
	Equipment    Equipment    // damaged-equipment reports; nil hides the form
	Alarm        Alarm        // audible alarm; nil means silent (the System light should say why)
	Operators    Operators    // enrolling operators; shown to administrators, nil hides it
	HitLog       HitLog       // the shift's hits with their outcomes; nil hides the Hits view
	ServerCheck  ServerCheck  // the shift check's comparison with the agency server; nil: local only

	// ValidateHotPlate applies the hot plate rules of policy IV.D before an entry is
	// saved (hotlist.ValidateHotPlate). nil accepts what the store accepts.
	ValidateHotPlate func(e alpr.HotEntry, distributed bool, now time.Time) error

	// LoginHint is shown on the login screen, e.g. the classroom's training accounts.
	LoginHint string
	// VehicleNumber prefills the vehicle field of the login screen (from configuration).
	VehicleNumber string
	// IdleLock locks the screen after this long without a touch; 0 means 10 minutes.
	IdleLock time.Duration
	// FramePasses is how many times a second at most the camera panes are updated, the
	// three together (0: 20, see UI.ShowFrame); below zero, a pass for every frame.
	FramePasses float64
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Training shows the TRAINING banner on every screen and alert (classroom mode).
	Training bool
	// Trainer drives the classroom's scenarios; with Training it adds the trainer panel.
	Trainer Trainer
	// Review reads back what the trainee did, for the review screen; classroom only.
	Review Review
	// CertificateDir is where the review screen saves certificates; "" disables saving.
	CertificateDir string
}

// Login checks an operator's PIN and opens their shift (store.DB implements it).
type Login interface {
	// Authenticate returns store.ErrBadCredentials or store.ErrLockedOut on refusal.
	Authenticate(ctx context.Context, id, pin string) (alpr.Operator, error)
	StartShift(ctx context.Context, operatorID, vehicleNumber string) (alpr.Shift, error)
	EndShift(ctx context.Context, shiftID int64) error
}

// Operators enrols and lists the car's operators (store.DB implements it). A roster sent
// by the agency server arrives through the store's PutOperator, not through this screen.
type Operators interface {
	// AddOperator returns store.ErrExists for an id already enrolled; actor is audited.
	AddOperator(ctx context.Context, actor string, op alpr.Operator, pin string) error
	Operators(ctx context.Context) ([]alpr.Operator, error)
}

// Patrol starts and stops the reading pipeline for a shift. The screen calls Activate
// only for an operator trained and certified to run the cameras (I.B, III.C.5.a); it
// refreshes the hot lists and runs the self-check (III.C.5) and reports what failed.
type Patrol interface {
	Activate(ctx context.Context, op alpr.Operator, shift alpr.Shift) error
	Deactivate(ctx context.Context) error
}

// ServerCheck compares the shift's detections with those the agency server holds (III.C.7)
// and says the result as the officer reads it ("all N on the server", "M missing, K queued").
type ServerCheck interface {
	ShiftCheck(ctx context.Context) (string, error)
}

// Dispositions keeps the officer's decision on a hit (store.DB implements it).
type Dispositions interface {
	SetDisposition(ctx context.Context, hitID int64, d alpr.Disposition) error
}

// Searcher runs an audited detection search and fetches a found detection's
// pictures, which the search leaves out, and its hits with their outcomes (store.DB
// implements it).
type Searcher interface {
	SearchDetections(ctx context.Context, q store.Query, p store.Purpose) ([]alpr.Detection, error)
	Detection(ctx context.Context, id int64) (alpr.Detection, error)
	HitsOfDetections(ctx context.Context, ids []int64) (map[int64][]alpr.Hit, error)
}

// HitLog reads back the hits raised since a time, each with its latest disposition
// (store.DB implements it).
type HitLog interface {
	Hits(ctx context.Context, since time.Time) ([]alpr.Hit, error)
}

// HotPlates keeps officer-entered hot plates (store.DB implements it).
type HotPlates interface {
	AddHotPlate(ctx context.Context, e *alpr.HotEntry) error
}

// Equipment sends a damaged-equipment report to the administrator (store.DB implements it).
type Equipment interface {
	ReportEquipment(ctx context.Context, r store.EquipmentReport) error
}

// Alarm sounds a hit until it is acknowledged (alarm.Player implements it).
type Alarm interface {
	Raise(hit int64, priority int, covert bool)
	Ack(hit int64)
}

// Trainer triggers classroom scenarios by name and resets the classroom.
type Trainer interface {
	Scenarios() []string
	Trigger(ctx context.Context, name string) error
	Reset(ctx context.Context) error
}

// Review reads back a classroom session: the hits with the trainee's dispositions and
// the audit log of their searches (store.DB implements it).
type Review interface {
	Hits(ctx context.Context, since time.Time) ([]alpr.Hit, error)
	AuditLog(ctx context.Context, since time.Time) ([]store.AuditEntry, error)
}
