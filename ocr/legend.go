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

// isLegend reports whether a read is a state name or five or more of its letters in a row
// (but not a word of its own inside it), allowing the look-alike digits 0 for O and 1 for I
// that the recognizer confuses on script lettering, and one stray character before it (a
// bolt or the frame's edge read as a letter).
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
		if strings.HasPrefix(s, p) || len(p) > 5 && strings.HasPrefix(s, p[1:]) || insideWord(s, p) {
			return true
		}
	}
	return false
}

// secondWords start the second word of two-word state names: a read beginning there is a
// word of its own (CAROL, JERSEY, DAKOTA) that a vanity plate may spell, not a legend's tail.
var secondWords = [...]string{"HAMPSHIRE", "JERSEY", "MEXICO", "YORK", "CAROLINA", "DAKOTA", "ISLAND", "VIRGINIA"}

// insideWord reports whether p is the middle or end of a state name, not starting a word
// of it: the legend's first letters hidden by a dealer's frame or cut off by the row
// (ORGIA of GEORGIA).
func insideWord(name, p string) bool {
	for i := 1; i+len(p) <= len(name); i++ {
		if name[i:i+len(p)] != p {
			continue
		}
		startsWord := false
		for _, w := range secondWords {
			startsWord = startsWord || strings.HasPrefix(name[i:], w)
		}
		if !startsWord {
			return true
		}
	}
	return false
}
