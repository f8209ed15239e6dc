package hotlist

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// CSV fields, named in ParseOptions.Columns. Each is found in the header under its own
// name or a usual alias (case, spaces, dashes and underscores ignored).
const (
	FieldPlate     = "plate"
	FieldState     = "state"
	FieldList      = "list"
	FieldCode      = "code"
	FieldReason    = "reason"
	FieldNCIC      = "ncic number"
	FieldYear      = "vehicle year"
	FieldMake      = "vehicle make"
	FieldModel     = "vehicle model"
	FieldColor     = "vehicle color"
	FieldEnteredBy = "entered by"
	FieldPhone     = "phone"
	FieldDR        = "dr number"
	FieldSynopsis  = "synopsis"
	FieldEnteredAt = "entered at"
	FieldExpiresAt = "expires at"
	FieldPriority  = "priority"
)

// csvAliases lists, for each field, the header names it is recognised under.
func csvAliases(f string) []string {
	switch f {
	case FieldPlate:
		return []string{"plate", "license plate", "licence plate", "plate number", "license", "lic", "tag"}
	case FieldState:
		return []string{"state", "plate state", "lis", "province"}
	case FieldList:
		return []string{"list", "hot list", "list name"}
	case FieldCode:
		return []string{"code", "list code", "ncic code"}
	case FieldReason:
		return []string{"reason", "alert type", "alert", "description"}
	case FieldNCIC:
		return []string{"ncic number", "ncic", "nic", "ncic no"}
	case FieldYear:
		return []string{"vehicle year", "year", "vyr"}
	case FieldMake:
		return []string{"vehicle make", "make", "vma"}
	case FieldModel:
		return []string{"vehicle model", "model", "vmo"}
	case FieldColor:
		return []string{"vehicle color", "vehicle colour", "color", "colour", "vco"}
	case FieldEnteredBy:
		return []string{"entered by", "officer", "entering officer"}
	case FieldPhone:
		return []string{"phone", "officer phone", "contact phone"}
	case FieldDR:
		return []string{"dr number", "dr", "dr no", "dr#"}
	case FieldSynopsis:
		return []string{"synopsis", "notes", "narrative"}
	case FieldEnteredAt:
		return []string{"entered at", "entered", "entry date", "date"}
	case FieldExpiresAt:
		return []string{"expires at", "expires", "expiry", "expiration", "expiration date"}
	case FieldPriority:
		return []string{"priority"}
	}
	return nil
}

// CSVFields lists the fields ParseCSV understands, in the order of HotEntry.
func CSVFields() []string {
	return []string{FieldPlate, FieldState, FieldList, FieldCode, FieldReason, FieldNCIC, FieldYear, FieldMake,
		FieldModel, FieldColor, FieldEnteredBy, FieldPhone, FieldDR, FieldSynopsis, FieldEnteredAt, FieldExpiresAt, FieldPriority}
}

// headerKey folds a header name for comparison.
func headerKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	s = strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// ParseCSV reads a CSV file whose first row names the columns. The plate column is
// required; other known columns are read when present, unknown ones ignored. Dates are
// YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD or RFC 3339.
func ParseCSV(r io.Reader, name string, opt ParseOptions) ([]alpr.HotEntry, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ParseError{File: name, Reason: "empty file: no CSV header"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	cols, err := mapColumns(header, name, opt.Columns)
	if err != nil {
		return nil, err
	}
	lr := &lineReader{file: name} // for errorf; csv tracks lines itself
	c := newCollector(lr, opt)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
			c.skip(pe.Line, "%s", pe.Err) // one row's shape: the rows around it are fine
			continue
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(f string) string {
			if i, ok := cols[f]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		e, why := csvEntry(get, opt)
		if why != "" {
			c.skip(line, "%s", why)
			continue
		}
		if err := c.add(e, line); err != nil {
			return nil, err
		}
	}
	return c.result()
}

// mapColumns finds the column of each field from the header row.
func mapColumns(header []string, name string, custom map[string]string) (map[string]int, error) {
	at := map[string]int{}
	for i, h := range header {
		if _, dup := at[headerKey(h)]; !dup {
			at[headerKey(h)] = i
		}
	}
	cols := map[string]int{}
	for _, f := range CSVFields() {
		names := csvAliases(f)
		if h, ok := custom[f]; ok {
			names = []string{h}
		}
		for _, n := range names {
			if i, ok := at[headerKey(n)]; ok {
				cols[f] = i
				break
			}
		}
	}
	for f, h := range custom {
		if !slices.Contains(CSVFields(), f) {
			return nil, &ParseError{File: name, Line: 1, Reason: fmt.Sprintf("column setting names unknown field %q (known: %s)", f, strings.Join(CSVFields(), ", "))}
		}
		if _, ok := cols[f]; !ok {
			return nil, &ParseError{File: name, Line: 1, Reason: fmt.Sprintf("header has no column %q for %s", h, f)}
		}
	}
	if _, ok := cols[FieldPlate]; !ok {
		first := strings.Join(header, ",")
		return nil, &ParseError{File: name, Line: 1, Reason: fmt.Sprintf("header %q has no plate column: %s", clip(first), guessFormat(first, "a CSV list with a header"))}
	}
	return cols, nil
}

// csvEntry builds an entry from one row; why is non-empty when the row is bad.
func csvEntry(get func(string) string, opt ParseOptions) (alpr.HotEntry, string) {
	plate, why, ok := parsePlate(get(FieldPlate))
	if !ok {
		return alpr.HotEntry{}, why
	}
	state, why, ok := parseState(get(FieldState))
	if !ok {
		return alpr.HotEntry{}, why
	}
	e := alpr.HotEntry{
		List: opt.List, Plate: plate, State: state, Code: get(FieldCode), Reason: get(FieldReason),
		NCICNumber: get(FieldNCIC), VehicleYear: get(FieldYear), VehicleMake: get(FieldMake),
		VehicleModel: get(FieldModel), VehicleColor: get(FieldColor), EnteredBy: get(FieldEnteredBy),
		Phone: get(FieldPhone), DRNumber: get(FieldDR), Synopsis: get(FieldSynopsis),
	}
	if e.List == "" {
		e.List = get(FieldList)
	}
	if e.Reason == "" {
		e.Reason = opt.Reason
	}
	for _, s := range []string{e.Code, e.Reason, e.NCICNumber, e.VehicleYear, e.VehicleMake, e.VehicleModel,
		e.VehicleColor, e.EnteredBy, e.Phone, e.DRNumber, e.Synopsis, e.List} {
		for _, r := range s {
			if r < 0x20 || r == 0x7f || r == '\uFFFD' {
				return alpr.HotEntry{}, fmt.Sprintf("bad character %q in %q", r, s)
			}
		}
	}
	var err error
	if e.EnteredAt, err = parseCSVDate(get(FieldEnteredAt), opt.location()); err != nil {
		return alpr.HotEntry{}, "entered date: " + err.Error()
	}
	if e.ExpiresAt, err = parseCSVDate(get(FieldExpiresAt), opt.location()); err != nil {
		return alpr.HotEntry{}, "expiry date: " + err.Error()
	}
	if p := get(FieldPriority); p != "" {
		if e.Priority, err = strconv.Atoi(p); err != nil {
			return alpr.HotEntry{}, fmt.Sprintf("priority %q is not a whole number", p)
		}
	}
	return e, ""
}

func parseCSVDate(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "01/02/2006", "20060102", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD or RFC 3339)", s)
}

// csvError turns encoding/csv's error into a ParseError naming the line.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: name, Line: pe.Line, Reason: pe.Err.Error()}
	}
	return fmt.Errorf("read %s: %w", name, err)
}
