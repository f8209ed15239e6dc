package ocr

import "strings"

// stateNames are the names printed across the top of US plates. The localiser finds them as a
// row of character-like shapes just as it finds the registration, so a read that is only
// (the start of) a state name is the plate's legend, not its number.
var stateNames = [...]string{
	"ALABAMA", "ALASKA", "ARIZONA", "ARKANSAS", "CALIFORNIA", "COLORADO", "CONNECTICUT",
	"DELAWARE", "FLORIDA", "GEORGIA", "HAWAII", "IDAHO", "ILLINOIS", "INDIANA", "IOWA", "KANSAS",
	"KENTUCKY", "LOUISIANA", "MAINE", "MARYLAND", "MASSACHUSETTS", "MICHIGAN", "MINNESOTA",
	"MISSISSIPPI", "MISSOURI", "MONTANA", "NEBRASKA", "NEVADA", "NEWHAMPSHIRE", "NEWJERSEY",
	"NEWMEXICO", "NEWYORK", "NORTHCAROLINA", "NORTHDAKOTA", "OHIO", "OKLAHOMA", "OREGON",
	"PENNSYLVANIA", "RHODEISLAND", "SOUTHCAROLINA", "SOUTHDAKOTA", "TENNESSEE", "TEXAS", "UTAH",
	"VERMONT", "VIRGINIA", "WASHINGTON", "WESTVIRGINIA", "WISCONSIN", "WYOMING",
}

// isLegend reports whether a read is a state name or its first five or more letters, allowing
// the look-alike digits 0 for O and 1 for I that the recognizer confuses on script lettering,
// and one stray character before it (a bolt or the frame's edge read as a letter).
func isLegend(plate string) bool {
	if len(plate) < 5 {
		return false
	}
	p := strings.NewReplacer("0", "O", "1", "I").Replace(plate)
	for _, r := range p {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	for _, s := range stateNames {
		if strings.HasPrefix(s, p) || len(p) > 5 && strings.HasPrefix(s, p[1:]) {
			return true
		}
	}
	return false
}
