package alpr

import (
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
