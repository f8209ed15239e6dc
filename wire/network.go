package wire

import (
	"time"

	"patrol-alpr/alpr"
)

// More paths of the network (policy III.C.5.b, IV.B, III.C.7).
const (
	EventsPath     = "/api/v1/events"      // Server-Sent Events for one car, resumed with Last-Event-ID
	PositionPath   = "/api/v1/position"    // a car's position report, for the radius of network hits
	SearchPath     = "/api/v1/search"      // a search of the network's shared detections
	ShiftCheckPath = "/api/v1/shift-check" // the detections the server holds of one shift
)

// EventNetworkHit is the SSE event name of a NetworkHit.
const EventNetworkHit = "network_hit"

// ReplayWindow is how long a car that reconnects gets the events it missed: a network hit
// older than half an hour says where a vehicle was, not where it is.
const ReplayWindow = 30 * time.Minute

// NetworkHit is a hit found at the server: a plate seen by any car or fixed camera of the
// network matched one of the receiving agency's lists. The car shows it like its own hit but
// says what it is, and the officer verifies and disposes of it the same way (III.D).
type NetworkHit struct {
	ID               string         `json:"id"` // the hit's UUID: the car's disposition names it
	Agency           string         `json:"agency"`
	DetectingAgency  string         `json:"detecting_agency"`
	DetectingVehicle string         `json:"detecting_vehicle"`
	Fixed            bool           `json:"fixed,omitempty"` // seen by a fixed camera
	Detection        alpr.Detection `json:"detection"`       // no images; the plate crop is PlateJPEG
	Match            alpr.Match     `json:"match"`
	PlateJPEG        []byte         `json:"plate_jpeg,omitempty"`
	// DistanceKm is how far the sighting was from the car's last known position when the
	// server sent the hit.
	DistanceKm float64 `json:"distance_km"`
}

// Position is a car's report of where it is.
type Position struct {
	Lat float64   `json:"lat"`
	Lon float64   `json:"lon"`
	At  time.Time `json:"at"`
}

// SearchRequest is a search of detections across the network (IV.B.1): purpose and case
// number are required, and every search is audited at the searching agency and at each
// agency whose detections it returns.
type SearchRequest struct {
	Operator   string    `json:"operator"`
	Purpose    string    `json:"purpose"`
	CaseNumber string    `json:"case_number"`
	Plate      string    `json:"plate"`           // exact, or with * and ? wildcards
	State      string    `json:"state,omitempty"` // the issuing state the reader named, two letters; "" for any
	From       time.Time `json:"from,omitempty"`
	To         time.Time `json:"to,omitempty"`
	Agencies   []string  `json:"agencies,omitempty"` // empty: every agency that shares with the searcher
	Limit      int       `json:"limit,omitempty"`
}

// SearchResult is one detection found, with the agency that holds it.
type SearchResult struct {
	Agency  string `json:"agency"`
	Vehicle string `json:"vehicle"`
	alpr.Detection
}

// SearchReply is the answer to a SearchRequest.
type SearchReply struct {
	Results []SearchResult `json:"results"`
	// Searched names the agencies whose detections were searched.
	Searched []string `json:"searched"`
}

// ShiftCheck is the server's answer to a car's shift check (III.C.7): the UUIDs of the
// detections it holds of the operator's shift.
type ShiftCheck struct {
	Vehicle    string    `json:"vehicle"`
	Operator   string    `json:"operator"`
	From       time.Time `json:"from"`
	Detections []string  `json:"detections"`
}
