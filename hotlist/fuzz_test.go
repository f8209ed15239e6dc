package hotlist

import (
	"bytes"
	"errors"
	"testing"
)

// checkParse is the property every parser keeps on any input: no panic; on error either no
// entries and a ParseError (or a read error), or a *SkippedLines naming fewer bad records
// than good ones with the good entries; whatever is returned is well-formed.
func checkParse(t *testing.T, f Format, data []byte) {
	entries, err := Parse(f, bytes.NewReader(data), "fuzz.txt", ParseOptions{List: "FUZZ"})
	var skipped *SkippedLines
	switch {
	case errors.As(err, &skipped):
		if len(skipped.Lines) == 0 || 2*len(skipped.Lines) >= skipped.Records || len(entries) == 0 {
			t.Fatalf("%d entries with %d of %d records skipped: only a mostly readable file is applied",
				len(entries), len(skipped.Lines), skipped.Records)
		}
	case err != nil:
		if entries != nil {
			t.Fatalf("%d entries returned with error %v: a partial list could be applied", len(entries), err)
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %v is not a *ParseError", err)
		}
		return
	}
	for _, e := range entries {
		if e.Plate == "" || len(e.Plate) > MaxPlateLen {
			t.Fatalf("entry with plate %q", e.Plate)
		}
		for _, c := range []byte(e.Plate) {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				t.Fatalf("plate %q not normalised", e.Plate)
			}
		}
		if s := e.State; s != "" && (len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') {
			t.Fatalf("state %q", s)
		}
	}
}

func FuzzParseNCIC(f *testing.F) {
	f.Add([]byte(lines(ncicHeader, ncicV, ncicP)))
	f.Add([]byte(lines(ncicHeader, ncicV, ncicV)))
	f.Add([]byte(lines(ncicHeader, ncicV, ncicP, ncicV[:40])))
	f.Add([]byte(ncicHeader + "\n" + ncicV[:40]))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, FormatNCIC, data) })
}

func FuzzParseCADOJ(f *testing.F) {
	f.Add([]byte(lines(dojHeader, "TST123  CA3920261101", "7ZZZ999 CA3920261120", "TOTAL RECORD 0000002")))
	f.Add([]byte(lines(dojHeader, "TST123  CA3920261101")))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, FormatCADOJ, data) })
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(lines("plate,state,reason,expires", "ABC123,CA,stolen,2026-12-01", "\"X-1\",0H,\"a, b\",")))
	f.Add([]byte(lines("plate", "A\"B")))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, FormatCSV, data) })
}

func FuzzParsePlateState(f *testing.F) {
	f.Add([]byte(lines("PLATE;STATE", "ABC123;CA", "XYZ999;")))
	f.Add([]byte("ABC;;\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, FormatPlateState, data) })
}
