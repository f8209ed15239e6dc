package alpr

import "time"

// MatchKind says how a read matched a hot entry.
type MatchKind string

// Match kinds.
const (
	MatchExact MatchKind = "exact"
	MatchNear  MatchKind = "near" // look-alike characters or one missing/extra character
)

// StateCheck compares the state the reader saw with the state on the list (III.D.2).
type StateCheck string

// State comparisons. A mismatch is shown to the officer, never hidden.
const (
	StateMatch    StateCheck = "match"
	StateMismatch StateCheck = "mismatch"
	StateUnknown  StateCheck = "unknown" // the read or the list has no state
)

// Match explains why a read hit one hot entry.
type Match struct {
	Entry     HotEntry   `json:"entry"`
	Kind      MatchKind  `json:"kind"`
	ReadPlate string     `json:"read_plate"`        // the reading (best or alternate) that matched
	Alternate bool       `json:"alternate"`         // true when an alternate, not the best read, matched
	Differs   []int      `json:"differs,omitempty"` // positions in ReadPlate that differ from the listed plate
	Edit      string     `json:"edit,omitempty"`    // human description, e.g. "8 read as B at 3"
	State     StateCheck `json:"state"`
}

// Hit is the alert raised when a detection matches a hot list (policy II.D). It is not
// probable cause (I.D): it waits for the officer's Disposition.
type Hit struct {
	ID            int64        `json:"id"`
	UUID          string       `json:"uuid"`
	DetectionID   int64        `json:"detection_id"`
	DetectionUUID string       `json:"detection_uuid"`
	Match         Match        `json:"match"`
	RaisedAt      time.Time    `json:"raised_at"`
	Late          bool         `json:"late"` // raised when a list changed after the plate went by
	VehicleNumber string       `json:"vehicle_number"`
	Disposition   *Disposition `json:"disposition,omitempty"`
	// Network is set on a hit found at the agency server: the plate was seen by another car
	// or a fixed camera, of this agency or another (III.C.5.b), not by this car.
	Network *NetworkSighting `json:"network,omitempty"`
}

// NetworkSighting says where and by whom the plate of a network hit was seen.
type NetworkSighting struct {
	Agency     string    `json:"agency"`
	Vehicle    string    `json:"vehicle"` // the car or fixed camera site that saw it
	Fixed      bool      `json:"fixed,omitempty"`
	Camera     CameraID  `json:"camera"`
	SeenAt     time.Time `json:"seen_at"`
	Fix        Fix       `json:"fix"`
	DistanceKm float64   `json:"distance_km"` // from this car when the hit arrived
	Bearing    float64   `json:"bearing"`     // degrees true from this car to the sighting
}

// Outcome is the officer's decision on a hit.
type Outcome string

// Outcomes.
const (
	Confirmed Outcome = "confirmed"
	Rejected  Outcome = "rejected"
)

// Reasons an officer rejects a hit.
const (
	RejectMisread        = "misread"
	RejectWrongState     = "wrong state"
	RejectVehicleDiffers = "vehicle not as listed"
	RejectEntryCleared   = "list entry cleared"
	RejectOther          = "other"
)

// Ways a hit is confirmed before action (III.D.3).
const (
	ConfirmedByRadio = "radio"
	ConfirmedByMDC   = "MDC"
)

// Disposition records what the officer did with a hit (III.D, III.E).
type Disposition struct {
	Outcome       Outcome   `json:"outcome"`
	Reason        string    `json:"reason,omitempty"`       // why rejected
	ConfirmedBy   string    `json:"confirmed_by,omitempty"` // radio or MDC
	Note          string    `json:"note,omitempty"`
	ReportNumber  string    `json:"report_number,omitempty"` // call history or ARS report number (III.E.1)
	Evidence      bool      `json:"evidence"`                // keeps the detection past retention (IV.A.1)
	OperatorID    string    `json:"operator_id"`
	VehicleNumber string    `json:"vehicle_number"`
	At            time.Time `json:"at"`
}
