package hotlist

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// ParseError says which line of which file could not be read, and why. Every parser
// returns one (possibly wrapped) for bad content, and no entries with it.
type ParseError struct {
	File   string
	Line   int // 1-based; 0 when the problem is the file as a whole
	Reason string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Reason)
}

// SkippedLines is returned, with the good entries, by a parser that found some records it
// could not read in a file that is otherwise sound: one bad line no longer discards a whole
// list. A file whose records are half or more unreadable is refused instead (a *ParseError
// naming its first bad line), as is any fault of the file as a whole (header, footer,
// duplicates, a line too long).
type SkippedLines struct {
	File    string
	Lines   []*ParseError // in file order
	Records int           // records in the file, good and bad
}

func (e *SkippedLines) Error() string {
	return fmt.Sprintf("%s: %d of %d records skipped: %s", e.File, len(e.Lines), e.Records, e.Summary(3))
}

// Summary names the first n bad lines and how many more there are, for a status light.
func (e *SkippedLines) Summary(n int) string {
	parts := make([]string, 0, n+1)
	for i, l := range e.Lines {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.Lines)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("line %d: %s", l.Line, l.Reason))
	}
	return strings.Join(parts, "; ")
}

// Duplicates says what a parser does with a record that appears twice in one file
// (every field the same: one plate on two NCIC files, say V and W, is two records).
type Duplicates int

const (
	// RejectDuplicates fails the file at the second copy of a record. A record listed
	// twice is how a file concatenated with itself, or a botched extract, shows; the
	// previous list stays in force until the agency sends a clean file.
	RejectDuplicates Duplicates = iota
	// MergeDuplicates keeps the first copy of a repeated record and drops the others,
	// for sources known to repeat rows harmlessly.
	MergeDuplicates
)

// ParseOptions are the settings a parser takes from the list's configuration.
type ParseOptions struct {
	// List names the list every entry belongs to. For CSV, when empty, a "list" column is used.
	List string
	// Reason fills HotEntry.Reason when the format carries none (CA DOJ, PLATE;STATE).
	Reason string
	// Columns maps a CSV field to the header that holds it, overriding the usual names
	// (see CSVFields); e.g. {"plate": "LIC_NO"}.
	Columns map[string]string
	// Duplicates says what to do with a record that appears twice (default: reject).
	Duplicates Duplicates
	// Location is the time zone of dates without one; UTC when nil.
	Location *time.Location
	// Lines, when known, is about how many lines the file has; the result is sized for
	// it once. (Growing a million-entry result by appending dominated parsing.)
	Lines int
}

func (o ParseOptions) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// maxLine bounds one line of a list file; no format here comes close.
const maxLine = 64 << 10

// MaxPlateLen is the longest plate a list may hold (the NCIC licence field is 10 wide).
const MaxPlateLen = 10

// lineReader hands out the lines of a file with their numbers.
type lineReader struct {
	sc   *bufio.Scanner
	file string
	n    int
}

func newLineReader(r io.Reader, file string) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return &lineReader{sc: sc, file: file}
}

// next returns the next line without its line ending; ok is false at the end of the
// file, or on error (see err).
func (l *lineReader) next() (line string, ok bool) {
	if !l.sc.Scan() {
		return "", false
	}
	l.n++
	return strings.TrimRight(l.sc.Text(), "\r"), true
}

// err reports why next stopped early: a line too long, or the reader failing.
func (l *lineReader) err() error {
	err := l.sc.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bufio.ErrTooLong):
		return l.errorf(l.n+1, "line longer than %d bytes: not a hot-list file", maxLine)
	}
	return fmt.Errorf("read %s: %w", l.file, err)
}

func (l *lineReader) errorf(line int, format string, args ...any) *ParseError {
	return &ParseError{File: l.file, Line: line, Reason: fmt.Sprintf(format, args...)}
}

// checkASCII rejects bytes that cannot be in a fixed-width list: control characters and
// anything outside ASCII (which would also shift every column after it).
func checkASCII(line string) (string, bool) {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 || c > 0x7e {
			return fmt.Sprintf("bad character %q at column %d", rune(c), i+1), false
		}
	}
	return "", true
}

// field returns line[from:to] trimmed, tolerating a short line.
func field(line string, from, to int) string {
	if from >= len(line) {
		return ""
	}
	if to > len(line) || to < 0 {
		to = len(line)
	}
	return strings.TrimSpace(line[from:to])
}

// parsePlate checks and normalises a plate field: letters and digits, with spaces and
// dashes dropped; anything else is a bad character, not something to guess around.
func parsePlate(s string) (string, string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteByte(c)
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		case c == ' ' || c == '-':
		default:
			return "", fmt.Sprintf("bad character %q in plate %q", rune(c), s), false
		}
	}
	p := b.String()
	switch {
	case p == "":
		return "", "no plate", false
	case len(p) > MaxPlateLen:
		return "", fmt.Sprintf("plate %q is longer than %d characters", p, MaxPlateLen), false
	}
	return p, "", true
}

// parseState checks a two-letter state or province code. Some files put the digit 0
// where the letter O belongs (OH, OR, OK, ON); that is corrected, not refused.
func parseState(s string) (string, string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", "", true
	}
	b := []byte(s)
	for i, c := range b {
		if c == '0' {
			b[i] = 'O'
		}
	}
	if len(b) != 2 || b[0] < 'A' || b[0] > 'Z' || b[1] < 'A' || b[1] > 'Z' {
		return "", fmt.Sprintf("state %q is not a two-letter code", s), false
	}
	return string(b), "", true
}

// parseDate reads YYYYMMDD; an all-blank or all-zero field is no date.
func parseDate(s string, loc *time.Location) (time.Time, string, bool) {
	if s == "" || strings.Trim(s, "0") == "" {
		return time.Time{}, "", true
	}
	t, err := time.ParseInLocation("20060102", s, loc)
	if err != nil {
		return time.Time{}, fmt.Sprintf("date %q is not YYYYMMDD", s), false
	}
	return t, "", true
}

// dedup finds records repeated in one file. It keeps a hash of each record rather than
// the record, so a million-line list costs a few tens of megabytes while parsing.
type dedup struct {
	seed  maphash.Seed
	seen  map[uint64]int // hash -> index into entries
	lines []int          // line of each entry
}

func newDedup(hint int) *dedup {
	return &dedup{seed: maphash.MakeSeed(), seen: make(map[uint64]int, hint), lines: make([]int, 0, hint)}
}

// add registers entries[len(entries)-1], read at line. It returns the line of an
// earlier identical record, or 0.
func (d *dedup) add(entries []alpr.HotEntry, line int) int {
	i := len(entries) - 1
	e := &entries[i]
	d.lines = append(d.lines, line)
	var h maphash.Hash
	h.SetSeed(d.seed)
	fields := [...]string{e.List, e.Plate, e.State, e.Code, e.Reason, e.NCICNumber, e.VehicleYear,
		e.VehicleMake, e.VehicleModel, e.VehicleColor, e.EnteredBy, e.Phone, e.DRNumber, e.Synopsis}
	for _, s := range fields {
		h.WriteString(s)
		h.WriteByte(0)
	}
	var t [16]byte
	binary.LittleEndian.PutUint64(t[:8], uint64(e.EnteredAt.UnixNano()))
	binary.LittleEndian.PutUint64(t[8:], uint64(e.ExpiresAt.UnixNano()))
	h.Write(t[:])
	k := h.Sum64()
	if j, ok := d.seen[k]; ok && entries[j] == *e {
		return d.lines[j]
	}
	d.seen[k] = i
	return 0
}

// collector gathers entries and applies the duplicate policy.
type collector struct {
	opt     ParseOptions
	lr      *lineReader
	entries []alpr.HotEntry
	dups    *dedup
	merged  int           // repeated records dropped under MergeDuplicates
	bad     []*ParseError // records that could not be read, skipped
}

// skip records a record that cannot be read; the file goes on.
func (c *collector) skip(line int, format string, args ...any) {
	c.bad = append(c.bad, c.lr.errorf(line, format, args...))
}

// result is the parse's outcome: every entry; or the good ones with a *SkippedLines; or,
// when half or more of the records are bad, no entries and the first bad line's error.
func (c *collector) result() ([]alpr.HotEntry, error) {
	if len(c.bad) == 0 {
		return c.entries, nil
	}
	records := len(c.entries) + c.merged + len(c.bad)
	if 2*len(c.bad) >= records {
		first := *c.bad[0]
		if len(c.bad) > 1 || records > 1 {
			first.Reason += fmt.Sprintf(" (%d of %d records unreadable: the file is refused)", len(c.bad), records)
		}
		return nil, &first
	}
	return c.entries, &SkippedLines{File: c.lr.file, Lines: c.bad, Records: records}
}

func newCollector(lr *lineReader, opt ParseOptions) *collector {
	hint := max(opt.Lines, 0)
	return &collector{opt: opt, lr: lr, dups: newDedup(hint), entries: make([]alpr.HotEntry, 0, hint)}
}

// add appends e read at line; a repeated record is an error or dropped, per the options.
func (c *collector) add(e alpr.HotEntry, line int) error {
	c.entries = append(c.entries, e)
	if first := c.dups.add(c.entries, line); first != 0 {
		if c.opt.Duplicates == MergeDuplicates {
			c.entries = c.entries[:len(c.entries)-1]
			c.dups.lines = c.dups.lines[:len(c.dups.lines)-1]
			c.merged++
			return nil
		}
		return c.lr.errorf(line, "duplicate of line %d (plate %s %s)", first, e.Plate, e.State)
	}
	return nil
}
