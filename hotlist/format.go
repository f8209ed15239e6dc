package hotlist

import (
	"fmt"
	"io"

	"patrol-alpr/alpr"
)

// Format names a hot-list file format, as written in the configuration.
type Format string

// Formats understood by Parse.
const (
	FormatNCIC       Format = "ncic"
	FormatCADOJ      Format = "cadoj"
	FormatCSV        Format = "csv"
	FormatPlateState Format = "plate-state"
)

// Parse reads a list file of format f; see the ParseNCIC, ParseCADOJ, ParseCSV and
// ParsePlateState functions.
func Parse(f Format, r io.Reader, name string, opt ParseOptions) ([]alpr.HotEntry, error) {
	switch f {
	case FormatNCIC:
		return ParseNCIC(r, name, opt)
	case FormatCADOJ:
		return ParseCADOJ(r, name, opt)
	case FormatCSV:
		return ParseCSV(r, name, opt)
	case FormatPlateState:
		return ParsePlateState(r, name, opt)
	}
	return nil, fmt.Errorf("parse %s: unknown format %q (want ncic, cadoj, csv or plate-state)", name, f)
}
