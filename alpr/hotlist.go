package alpr

import "time"

// ListKind says where a hot list comes from, which decides how it is refreshed and
// how its hits are treated.
type ListKind string

// Kinds of hot list (policy IV.C, IV.D).
const (
	// General lists (NCIC, SVS, SFR, SLR) are downloaded at shift start and at least daily (IV.C.1).
	General ListKind = "general"
	// Special lists are approved by the ALPR Administrator; their hits are informational (IV.C.2–4).
	Special ListKind = "special"
	// Officer lists hold hot plates entered by officers, with expiry limits (IV.D).
	Officer ListKind = "officer"
	// Training lists exist only in classroom mode.
	Training ListKind = "training"
)

// Tolerance is how far a read may differ from a listed plate and still hit.
type Tolerance int

// Tolerances, strictest first.
const (
	// Exact hits only on the same characters: for lists where a false alarm is costly.
	Exact Tolerance = iota
	// LookAlike also accepts OCR look-alikes (0/O/D/Q, 1/I/L/T, 2/Z, 5/S, 8/B, 6/G).
	LookAlike
	// LookAlikeOrIndel also accepts one missing or extra character.
	LookAlikeOrIndel
)

// HotList describes one list as a whole: its name, origin, priority and how it matches.
type HotList struct {
	Name          string    `json:"name"` // e.g. "NCIC", "SVS", "SFR", "SLR", "GANG-SPECIAL"
	Kind          ListKind  `json:"kind"`
	Priority      int       `json:"priority"`      // higher is more urgent; orders hits and picks the alarm tone
	Informational bool      `json:"informational"` // IV.C.4: brings attention, not a reason to stop
	Covert        bool      `json:"covert"`        // silent alarm
	Tolerance     Tolerance `json:"tolerance"`
	Departmental  bool      `json:"departmental"` // IV.C.6: not shared outside without approval
	ShareApproved bool      `json:"share_approved"`
	Source        string    `json:"source,omitempty"`  // URL or path it was loaded from
	Version       string    `json:"version,omitempty"` // SHA-256 of the file that produced it
	LoadedAt      time.Time `json:"loaded_at"`
	Entries       int       `json:"entries"`
}

// HotEntry is one plate of interest on a hot list, with everything the officer needs to
// compare the read against it (policy III.D.2, IV.D.2).
type HotEntry struct {
	ID            int64     `json:"id,omitempty"`
	List          string    `json:"list"`
	Plate         string    `json:"plate"` // normalised A–Z, 0–9
	State         string    `json:"state,omitempty"`
	Code          string    `json:"code,omitempty"` // NCIC list code: V, P, F, W, M, A, H, T, ...
	Reason        string    `json:"reason,omitempty"`
	NCICNumber    string    `json:"ncic_number,omitempty"`
	VehicleYear   string    `json:"vehicle_year,omitempty"`
	VehicleMake   string    `json:"vehicle_make,omitempty"`
	VehicleModel  string    `json:"vehicle_model,omitempty"`
	VehicleColor  string    `json:"vehicle_color,omitempty"`
	EnteredBy     string    `json:"entered_by,omitempty"`
	Phone         string    `json:"phone,omitempty"`
	DRNumber      string    `json:"dr_number,omitempty"`
	Synopsis      string    `json:"synopsis,omitempty"`
	EnteredAt     time.Time `json:"entered_at,omitempty"`
	ExpiresAt     time.Time `json:"expires_at,omitempty"` // zero: no expiry of its own
	Priority      int       `json:"priority"`
	Informational bool      `json:"informational,omitempty"`
	Covert        bool      `json:"covert,omitempty"`
}

// Expired reports whether the entry has stopped matching at instant t (IV.D.1: expired
// entries stop matching at their expiry instant).
func (e HotEntry) Expired(t time.Time) bool { return !e.ExpiresAt.IsZero() && !t.Before(e.ExpiresAt) }

// Vehicle describes the listed vehicle in one line, as far as the list says.
func (e HotEntry) Vehicle() string {
	s := ""
	for _, p := range []string{e.VehicleYear, e.VehicleColor, e.VehicleMake, e.VehicleModel} {
		if p == "" {
			continue
		}
		if s != "" {
			s += " "
		}
		s += p
	}
	return s
}
