package hotlist

import (
	"io"
	"strings"

	"patrol-alpr/alpr"
)

// NCICReason returns the reason shown with a hit for the list code in the first column
// of the FBI NCIC LPR extract (policy II.D names stolen cars, wanted and missing persons,
// protection orders and terrorist-related activity), and whether the code is known.
func NCICReason(code string) (string, bool) {
	switch code {
	case "V":
		return "stolen vehicle", true
	case "P":
		return "stolen plate", true
	case "F":
		return "felony vehicle", true
	case "W":
		return "wanted person", true
	case "M":
		return "missing person", true
	case "A":
		return "Amber alert", true
	case "C":
		return "supervised release", true
	case "H":
		return "protection order", true
	case "K":
		return "protective interest", true
	case "L":
		return "violent person", true
	case "R":
		return "stolen Canadian vehicle", true
	case "T":
		return "gang or terrorist member", true
	case "X":
		return "sex offender", true
	}
	return "", false
}

// NCIC extract columns (0-based, end-exclusive); see ../shared/formats/hotlists.md.
const (
	ncicCode, ncicIDs, ncicDate, ncicPlate, ncicState = 0, 1, 19, 27, 37
	ncicPlateExp, ncicPlateType, ncicYear, ncicMake   = 39, 43, 45, 49
	ncicModel, ncicStyle, ncicColor, ncicMinLen       = 53, 56, 58, 39
)

// ParseNCIC reads the FBI NCIC LPR extract: a header line beginning "NCIC", then one
// fixed-width record a line. The agency and record identifiers (columns 2–19) are kept
// as the NCIC number; the incident date becomes EnteredAt.
func ParseNCIC(r io.Reader, name string, opt ParseOptions) ([]alpr.HotEntry, error) {
	lr := newLineReader(r, name)
	header, ok := lr.next()
	if !ok {
		if err := lr.err(); err != nil {
			return nil, err
		}
		return nil, lr.errorf(0, "empty file: not an NCIC LPR extract")
	}
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(header)), "NCIC") {
		return nil, lr.errorf(1, "header %q does not begin with NCIC: %s", clip(header), guessFormat(header, "an NCIC LPR extract"))
	}
	c := newCollector(lr, opt)
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := lr.n
		if why, ok := checkASCII(line); !ok {
			c.skip(n, "%s", why)
			continue
		}
		if len(line) < ncicMinLen {
			c.skip(n, "record is %d characters, want at least %d (through the plate state): truncated line?", len(line), ncicMinLen)
			continue
		}
		code := line[ncicCode:ncicIDs]
		reason, known := NCICReason(code)
		if !known {
			c.skip(n, "unknown list code %q in column 1", code)
			continue
		}
		plate, why, ok := parsePlate(field(line, ncicPlate, ncicState))
		if !ok {
			c.skip(n, "%s", why)
			continue
		}
		state, why, ok := parseState(field(line, ncicState, ncicPlateExp))
		if !ok {
			c.skip(n, "%s", why)
			continue
		}
		date, why, ok := parseDate(field(line, ncicDate, ncicPlate), opt.location())
		if !ok {
			c.skip(n, "incident %s", why)
			continue
		}
		e := alpr.HotEntry{
			List:         opt.List,
			Plate:        plate,
			State:        state,
			Code:         code,
			Reason:       reason,
			NCICNumber:   field(line, ncicIDs, ncicDate),
			VehicleYear:  field(line, ncicYear, ncicMake),
			VehicleMake:  field(line, ncicMake, ncicModel),
			VehicleModel: field(line, ncicModel, ncicStyle),
			VehicleColor: field(line, ncicColor, -1),
			EnteredAt:    date,
		}
		if err := c.add(e, n); err != nil {
			return nil, err
		}
	}
	if err := lr.err(); err != nil {
		return nil, err
	}
	return c.result()
}

// guessFormat says what a first line looks like, so "wrong format" names the likely one.
func guessFormat(first, want string) string {
	up := strings.ToUpper(strings.TrimSpace(first))
	switch {
	case strings.HasPrefix(up, "NCIC"):
		return "this looks like an NCIC LPR extract, not " + want
	case strings.HasPrefix(up, "DATE"):
		return "this looks like a California DOJ list, not " + want
	case strings.Contains(up, ","):
		return "this looks like CSV, not " + want
	case strings.Contains(up, ";"):
		return "this looks like a PLATE;STATE list, not " + want
	case strings.HasPrefix(up, "<") || strings.HasPrefix(up, "{"):
		return "this looks like a web page or JSON (a login page or error?), not " + want
	}
	return "not " + want
}

// clip shortens a line quoted in an error.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
