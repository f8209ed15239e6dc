package alpr

import (
	"image"
	"strings"
	"testing"
	"time"
)

func TestNormalizePlate(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"already clean", "7ABC123", "7ABC123"},
		{"lower case", "7abc123", "7ABC123"},
		{"spaces and dash", " 7 ABC-123 ", "7ABC123"},
		{"punctuation and unicode dropped", "7·ABC·123é", "7ABC123"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizePlate(tt.in); got != tt.want {
				t.Errorf("NormalizePlate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHotEntryExpired(t *testing.T) {
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		expires time.Time
		now     time.Time
		want    bool
	}{
		{"no expiry", time.Time{}, at, false},
		{"before expiry", at, at.Add(-time.Nanosecond), false},
		{"at the expiry instant (IV.D.1)", at, at, true},
		{"after expiry", at, at.Add(time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (HotEntry{ExpiresAt: tt.expires}).Expired(tt.now); got != tt.want {
				t.Errorf("Expired = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOperatorPermissions(t *testing.T) {
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name            string
		op              Operator
		cameras, search bool
	}{
		{"trained and certified", Operator{TrainedAt: day, CertifiedAt: day}, true, true},
		{"trained, not certified (I.B)", Operator{TrainedAt: day}, false, false},
		{"database training only (III.C.1)", Operator{DatabaseTrainedAt: day}, false, true},
		{"no training", Operator{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.op.MayOperateCameras(); got != tt.cameras {
				t.Errorf("MayOperateCameras = %v, want %v", got, tt.cameras)
			}
			if got := tt.op.MaySearch(); got != tt.search {
				t.Errorf("MaySearch = %v, want %v", got, tt.search)
			}
		})
	}
}

func TestVehicleDescription(t *testing.T) {
	e := HotEntry{VehicleYear: "2016", VehicleMake: "HOND", VehicleModel: "CIVIC", VehicleColor: "SIL"}
	if got := e.Vehicle(); got != "2016 SIL HOND CIVIC" {
		t.Errorf("Vehicle() = %q", got)
	}
	if got := (HotEntry{}).Vehicle(); got != "" {
		t.Errorf("empty Vehicle() = %q", got)
	}
}

func TestParseZone(t *testing.T) {
	tests := []struct {
		in      string
		want    Zone
		wantErr string
	}{
		{"0,0,0.4,0.08", Zone{0, 0, 0.4, 0.08}, ""},
		{" 0.5, 0.9 ,1,1", Zone{0.5, 0.9, 1, 1}, ""},
		{"0,0,0.4", Zone{}, "want x0,y0,x1,y1"},
		{"0,0,1.5,1", Zone{}, `"1.5" is not a fraction`},
		{"0,0,x,1", Zone{}, `"x" is not a fraction`},
		{"0.5,0,0.2,1", Zone{}, "right of and below"},
		{"0,0.3,1,0.3", Zone{}, "right of and below"},
	}
	for _, tt := range tests {
		got, err := ParseZone(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseZone(%q) error = %v, want it to say %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseZone(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			continue
		}
		if back, err := ParseZone(got.String()); err != nil || back != got {
			t.Errorf("ParseZone(%q.String()) = %v, %v; want it back", got, back, err)
		}
	}
}

func TestZoneIn(t *testing.T) {
	z := Zone{0, 0, 0.4, 0.08}
	if got, want := z.In(image.Pt(1280, 720)), image.Rect(0, 0, 512, 58); got != want {
		t.Errorf("In(1280x720) = %v, want %v", got, want)
	}
	if got, want := z.In(image.Pt(640, 360)), image.Rect(0, 0, 256, 29); got != want {
		t.Errorf("In(640x360) = %v, want %v", got, want)
	}
}

func TestIsStateCode(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"CA", true}, {"NV", true}, {"ca", false}, {"C", false}, {"CAL", false}, {"C4", false}, {"", false}, {"É1", false},
	} {
		if got := IsStateCode(tc.s); got != tc.want {
			t.Errorf("IsStateCode(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
