package gps

import (
	"testing"
	"time"

	"patrol-alpr/alpr"
)

func TestHistory(t *testing.T) {
	t0 := time.Date(2025, 3, 14, 17, 0, 0, 0, time.UTC)
	sec := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	fix := func(s int, lat float64) alpr.Fix {
		return alpr.Fix{Lat: lat, Time: sec(float64(s)), Quality: alpr.Fix3D}
	}
	tests := []struct {
		name    string
		adds    []stamped
		at      time.Time
		wantLat float64
		wantOK  bool
	}{
		{"empty", nil, sec(0), 0, false},
		{"oldest entries fall off a full ring", []stamped{
			{fix(0, 1), sec(0)}, {fix(1, 2), sec(1)}, {fix(2, 3), sec(2)}, {fix(3, 4), sec(3)}, {fix(4, 5), sec(4)},
		}, sec(0.5), 0, false},
		{"newest of a wrapped ring", []stamped{
			{fix(0, 1), sec(0)}, {fix(1, 2), sec(1)}, {fix(2, 3), sec(2)}, {fix(3, 4), sec(3)}, {fix(4, 5), sec(4)},
		}, sec(4.5), 5, true},
		{"middle of a wrapped ring", []stamped{
			{fix(0, 1), sec(0)}, {fix(1, 2), sec(1)}, {fix(2, 3), sec(2)}, {fix(3, 4), sec(3)}, {fix(4, 5), sec(4)},
		}, sec(2.9), 3, true},
		{"later sentences of one epoch refine it, keeping its first arrival", []stamped{
			{fix(0, 1), sec(0)}, {fix(0, 1.5), sec(0.3)},
		}, sec(0.1), 1.5, true},
		{"clock set back: the new timeline answers", []stamped{
			{fix(0, 1), sec(10)}, {fix(1, 2), sec(11)}, {fix(2, 3), sec(5)},
		}, sec(6), 3, true},
		{"clock set back: the old timeline is forgotten", []stamped{
			{fix(0, 1), sec(10)}, {fix(1, 2), sec(11)}, {fix(2, 3), sec(5)},
		}, sec(11), 0, false},
		{"too old", []stamped{{fix(0, 1), sec(0)}}, sec(3.5), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHistory(4)
			for _, a := range tt.adds {
				h.add(a.fix, a.at)
			}
			got, ok := h.lookup(tt.at, 3*time.Second)
			if ok != tt.wantOK || got.Lat != tt.wantLat {
				t.Errorf("lookup = %+v, %v; want lat %v, %v", got, ok, tt.wantLat, tt.wantOK)
			}
		})
	}
}
