package hotlist

import (
	"io"
	"strconv"
	"strings"

	"patrol-alpr/alpr"
)

// California DOJ list columns (0-based, end-exclusive).
const (
	dojPlate, dojState, dojCounty, dojDate, dojEnd = 0, 8, 10, 12, 20
	dojFooter                                      = "TOTAL RECORD"
)

// ParseCADOJ reads a California DOJ hot list (SVS, SFR, SLR): a header line beginning
// DATE, fixed-width records (plate, state, county code, date of loss), and a footer
// "TOTAL RECORD nnnnnnn" whose count must equal the records read. A missing footer or a
// wrong count means the file was cut short and is refused. The date of loss becomes
// EnteredAt; the county code is not kept (HotEntry has no field for it).
func ParseCADOJ(r io.Reader, name string, opt ParseOptions) ([]alpr.HotEntry, error) {
	lr := newLineReader(r, name)
	header, ok := lr.next()
	if !ok {
		if err := lr.err(); err != nil {
			return nil, err
		}
		return nil, lr.errorf(0, "empty file: not a California DOJ list")
	}
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(header)), "DATE") {
		return nil, lr.errorf(1, "header %q does not begin with DATE: %s", clip(header), guessFormat(header, "a California DOJ list"))
	}
	c := newCollector(lr, opt)
	footer := 0 // line of the footer once seen
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		n := lr.n
		if strings.TrimSpace(line) == "" {
			continue
		}
		if footer != 0 {
			return nil, lr.errorf(n, "data after the TOTAL RECORD footer on line %d", footer)
		}
		if why, ok := checkASCII(line); !ok {
			c.skip(n, "%s", why)
			continue
		}
		if strings.HasPrefix(line, dojFooter) {
			footer = n
			count, err := strconv.Atoi(strings.TrimSpace(line[len(dojFooter):]))
			if err != nil {
				return nil, lr.errorf(n, "footer %q has no record count", line)
			}
			if records := len(c.entries) + c.merged + len(c.bad); count != records {
				return nil, lr.errorf(n, "footer counts %d records but the file holds %d: truncated or altered file", count, records)
			}
			continue
		}
		if len(line) < dojEnd {
			c.skip(n, "record is %d characters, want %d: truncated line?", len(line), dojEnd)
			continue
		}
		plate, why, ok := parsePlate(field(line, dojPlate, dojState))
		if !ok {
			c.skip(n, "%s", why)
			continue
		}
		state, why, ok := parseState(field(line, dojState, dojCounty))
		if !ok {
			c.skip(n, "%s", why)
			continue
		}
		date, why, ok := parseDate(field(line, dojDate, dojEnd), opt.location())
		if !ok {
			c.skip(n, "date of loss: %s", why)
			continue
		}
		e := alpr.HotEntry{List: opt.List, Plate: plate, State: state, Reason: opt.Reason, EnteredAt: date}
		if err := c.add(e, n); err != nil {
			return nil, err
		}
	}
	if err := lr.err(); err != nil {
		return nil, err
	}
	if footer == 0 {
		return nil, lr.errorf(lr.n, "no TOTAL RECORD footer after the last line: the file is truncated")
	}
	return c.result()
}
