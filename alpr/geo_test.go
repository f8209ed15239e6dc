package alpr

import (
	"math"
	"testing"
)

func TestDistanceBearing(t *testing.T) {
	stockton := Fix{Lat: 37.9577, Lon: -121.2908}
	tests := []struct {
		name    string
		to      Fix
		km      float64
		compass string
	}{
		{"5.56 km north", Fix{Lat: 38.0077, Lon: -121.2908}, 5.56, "N"},
		{"east", Fix{Lat: 37.9577, Lon: -121.2}, 7.96, "E"},
		{"south-west", Fix{Lat: 37.9, Lon: -121.36}, 8.83, "SW"},
		{"same place", stockton, 0, "N"},
	}
	for _, tc := range tests {
		km, deg := DistanceBearing(stockton, tc.to)
		if math.Abs(km-tc.km) > 0.05 || Compass(deg) != tc.compass {
			t.Errorf("%s: %.2f km %.0f° (%s), want %.2f km %s", tc.name, km, deg, Compass(deg), tc.km, tc.compass)
		}
	}
}
