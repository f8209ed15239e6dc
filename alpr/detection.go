package alpr

import (
	"image"
	"time"
)

// CameraID names one of the car's cameras as the officer sees it: "Cam-1", "Cam-2", "Cam-3".
type CameraID string

// The three camera positions of the patrol car (policy III.C.6).
const (
	Cam1 CameraID = "Cam-1"
	Cam2 CameraID = "Cam-2"
	Cam3 CameraID = "Cam-3"
)

// Cameras lists the car's cameras in the order the screen shows them.
var Cameras = [...]CameraID{Cam1, Cam2, Cam3}

// Alternate is another reading of the same plate with the reader's score in [0,1].
// The matcher tries alternates so that OCR look-alikes (8/B, 0/O, ...) still hit.
type Alternate struct {
	Plate string  `json:"plate"`
	Score float64 `json:"score"`
}

// Detection is one plate read by the ALPR (policy II.C): the plate, the images of the
// plate and vehicle, and where the camera was when it read it.
type Detection struct {
	ID         int64         `json:"id"`
	UUID       string        `json:"uuid"` // stable across car and server: the sync key
	ShiftID    int64         `json:"shift_id,omitempty"`
	Camera     CameraID      `json:"camera"`
	SeenAt     time.Time     `json:"seen_at"` // capture time of the frame that gave the best read
	Plate      string        `json:"plate"`   // normalised A–Z, 0–9
	State      string        `json:"state,omitempty"`
	Confidence float64       `json:"confidence"`
	Alternates []Alternate   `json:"alternates,omitempty"`
	Box        []image.Point `json:"box,omitempty"` // plate quadrilateral in the scene image
	Fix        Fix           `json:"fix"`
	PlateJPEG  []byte        `json:"-"`
	SceneJPEG  []byte        `json:"-"`
}

// DoubtfulBelow is the confidence under which a read is shown as doubtful: the reader
// hesitated between characters, so the officer is told to compare each one with the
// plate image (III.D.2) rather than shown a sure-looking plate. Chosen on the tune
// halves only (README, "Doubtful reads"; `make eval` prints the counts): under 0.8 lay
// 12 of the 14 wrong reads and 10 of the 109 right ones of alpr-bench/dev's tune half
// and the synthetic hard photos' tune half.
const DoubtfulBelow = 0.8

// Doubtful reports whether the read is shown as doubtful. A confidence of zero is
// unknown (not given by the reader), not doubt.
func (d Detection) Doubtful() bool { return d.Confidence > 0 && d.Confidence < DoubtfulBelow }

// HasImages reports whether the detection carries its plate crop and scene image.
func (d Detection) HasImages() bool { return len(d.PlateJPEG) > 0 && len(d.SceneJPEG) > 0 }
