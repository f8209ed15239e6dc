package wire

import "time"

// ListInfo describes one hot list the server distributes. A car fetches the index at shift
// start and daily, and downloads a list only when its SHA-256 differs from the copy it holds
// (the list's URL answers If-None-Match with 304 and resumes with Range).
type ListInfo struct {
	Name         string    `json:"name"`
	Version      int64     `json:"version"`
	SHA256       string    `json:"sha256"` // of the file as served; also its ETag
	Size         int64     `json:"size"`
	Entries      int       `json:"entries"`
	Format       string    `json:"format"` // ncic, cadoj, csv, plate-state
	Kind         string    `json:"kind"`   // general, special
	Priority     int       `json:"priority"`
	Departmental bool      `json:"departmental,omitempty"`
	ImportedAt   time.Time `json:"imported_at"`
	Path         string    `json:"path"` // where to GET it, relative to the server
}

// ListIndex is the body of GET ListsPath.
type ListIndex struct {
	Agency string     `json:"agency"`
	Lists  []ListInfo `json:"lists"`
}

// RosterEntry is one operator on the agency's roster as the server sends it to the cars at
// sign-in and shift start (III.C.1-2): an operator not on it, inactive, or whose certification
// has lapsed cannot activate the cameras, and the car enforces its last copy offline.
type RosterEntry struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Active         bool      `json:"active"`
	TrainedOn      time.Time `json:"trained_on,omitzero"`
	CertifiedUntil time.Time `json:"certified_until,omitzero"` // zero: no expiry recorded
}

// Roster is the body of GET RosterPath.
type Roster struct {
	Agency    string        `json:"agency"`
	At        time.Time     `json:"at"`
	Operators []RosterEntry `json:"operators"`
}
