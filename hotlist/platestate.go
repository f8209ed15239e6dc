package hotlist

import (
	"io"
	"strings"

	"patrol-alpr/alpr"
)

// ParsePlateState reads the minimal vendor format: one "PLATE;STATE" a line, no header
// (a first line reading PLATE;STATE is taken as a header and skipped). The state may be
// empty ("ABC123;"), the semicolon may not be missing.
func ParsePlateState(r io.Reader, name string, opt ParseOptions) ([]alpr.HotEntry, error) {
	lr := newLineReader(r, name)
	c := newCollector(lr, opt)
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		n := lr.n
		if strings.TrimSpace(line) == "" {
			continue
		}
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
			if strings.EqualFold(strings.ReplaceAll(line, " ", ""), "plate;state") {
				continue
			}
		}
		if why, ok := checkASCII(line); !ok {
			c.skip(n, "%s", why)
			continue
		}
		plateField, stateField, found := strings.Cut(line, ";")
		if !found || strings.Contains(stateField, ";") {
			c.skip(n, "want PLATE;STATE, got %q: %s", clip(line), guessFormat(line, "a PLATE;STATE list"))
			continue
		}
		plate, why, ok := parsePlate(strings.TrimSpace(plateField))
		if !ok {
			c.skip(n, "%s", why)
			continue
		}
		state, why, ok := parseState(stateField)
		if !ok {
			c.skip(n, "%s", why)
			continue
		}
		if err := c.add(alpr.HotEntry{List: opt.List, Plate: plate, State: state, Reason: opt.Reason}, n); err != nil {
			return nil, err
		}
	}
	if err := lr.err(); err != nil {
		return nil, err
	}
	if len(c.entries) == 0 && c.merged == 0 && len(c.bad) == 0 {
		return nil, lr.errorf(0, "no PLATE;STATE lines: empty file")
	}
	return c.result()
}
