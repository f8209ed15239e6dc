package app

import (
	"fmt"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// networkNote says what a network hit is (III.C.5.b): who saw the plate, where from this car
// and how long ago, so the officer knows the vehicle was not seen here and may have moved.
func networkNote(n *alpr.NetworkSighting, now time.Time) string {
	by := "car " + n.Vehicle
	if n.Fixed {
		by = "fixed camera " + n.Vehicle
	}
	where := "position not known"
	if n.Fix.Valid() {
		where = fmt.Sprintf("%.1f km %s of you", n.DistanceKm, alpr.Compass(n.Bearing))
	}
	return fmt.Sprintf("Network hit: seen by %s's %s (%s), %s, %s. This car did not read it: verify before acting; the vehicle may have moved.",
		n.Agency, by, n.Camera, where, ago(now.Sub(n.SeenAt)))
}

// ago says a past span the way it is read out: "just now", "4 min ago", "2 h 5 min ago".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	}
	return fmt.Sprintf("%d h %d min ago", int(d.Hours()), int(d.Minutes())%60)
}

// hitTitle is the alert's band: a network hit says so first.
func hitTitle(h alpr.Hit) string {
	kind := "HIT"
	if h.Network != nil {
		kind = "NETWORK HIT"
	}
	return kind + "  ·  " + strings.ToUpper(h.Match.Entry.List) + "  ·  " + h.Match.Entry.Plate
}
