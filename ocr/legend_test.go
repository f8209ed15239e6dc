package ocr

import "testing"

func TestIsLegend(t *testing.T) {
	tests := []struct {
		read string
		want bool
	}{
		{"OREGON", true},
		{"GEORGI", true},       // cut short at the plate's edge
		{"MICHI", true},        // first five letters
		{"0REG0N", true},       // O read as 0 on script lettering
		{"NEWJERSEY", true},    // two words read as one
		{"MMICHI", true},       // a stray letter before it
		{"ORGIA", true},        // the end of GEORGIA, its start under a dealer's frame
		{"ALIFORNIA", true},    // CALIFORNIA without its first letter
		{"CAROL", false},       // the second word of NORTHCAROLINA: a vanity plate too
		{"JERSEY", false},      // likewise
		{"XOHIO", false},       // a stray letter before too short a name
		{"OHIO", false},        // too short to tell from a vanity plate
		{"GEORGE", false},      // a name, not a state
		{"7ABC123", false},     // a registration
		{"TEXAS1", false},      // letters and a digit other than a look-alike
		{"CALIFORNIAS", false}, // longer than the state name
	}
	for _, tt := range tests {
		t.Run(tt.read, func(t *testing.T) {
			if got := isLegend(tt.read); got != tt.want {
				t.Errorf("isLegend(%q) = %v, want %v", tt.read, got, tt.want)
			}
		})
	}
}
