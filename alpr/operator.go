package alpr

import "time"

// Role is what an operator may do in the system.
type Role string

// Roles (policy III.B, III.C).
const (
	RoleOperator      Role = "operator"
	RoleAdministrator Role = "administrator"
	RoleTrainer       Role = "trainer"
)

// Operator is a sworn or civilian member who may use the ALPR (policy I.B, III.C.1–2).
type Operator struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	Role              Role      `json:"role"`
	Phone             string    `json:"phone,omitempty"`
	TrainedAt         time.Time `json:"trained_at,omitempty"` // ALPR course (III.C.2): may run the cameras
	CertifiedAt       time.Time `json:"certified_at,omitempty"`
	DatabaseTrainedAt time.Time `json:"database_trained_at,omitempty"` // privacy/CJIS/security (III.C.1): may search
}

// MayOperateCameras reports whether the operator is trained and certified to activate the
// cameras (I.B, III.C.5.a).
func (o Operator) MayOperateCameras() bool { return !o.TrainedAt.IsZero() && !o.CertifiedAt.IsZero() }

// MaySearch reports whether the operator may query the detection database (III.C.1).
func (o Operator) MaySearch() bool { return !o.DatabaseTrainedAt.IsZero() || o.MayOperateCameras() }

// Shift is one operator's tour in one vehicle; hits are documented with its vehicle number (III.E.1).
type Shift struct {
	ID            int64     `json:"id"`
	OperatorID    string    `json:"operator_id"`
	VehicleNumber string    `json:"vehicle_number"`
	StartedAt     time.Time `json:"started_at"`
	EndedAt       time.Time `json:"ended_at,omitempty"`
}
