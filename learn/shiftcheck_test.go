package learn

import "testing"

func TestCompare(t *testing.T) {
	tests := []struct {
		name                  string
		local, server, queued []string
		want                  string
	}{
		{"all there", []string{"a", "b"}, []string{"a", "b"}, nil, "all 2 detections of this shift are on the server"},
		{"one queued", []string{"a", "b", "c"}, []string{"a", "b"}, []string{"c"}, "1 of 3 detections missing from the server (1 still queued to send)"},
		{"one lost", []string{"a", "b", "c"}, []string{"a"}, []string{"c"}, "2 of 3 detections missing from the server (1 still queued to send)"},
		{"empty shift", nil, nil, nil, "all 0 detections of this shift are on the server"},
	}
	for _, tc := range tests {
		if got := Compare(tc.local, tc.server, tc.queued).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
