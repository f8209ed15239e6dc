package hotlist

import (
	"errors"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

// Made-up sample lines in the layouts of ../shared/formats/hotlists.md (no real plates).
const (
	ncicHeader = "NCIC LPR EXTRACT 20261127 0600"
	ncicV      = "VCA0390000NIC00000120261114TST123    CA2027PC2019TOYTCAM4DBLK"
	ncicP      = "PNV0020000NIC00000220261120ZZZ999    NV2026PC"
	dojHeader  = "DATE11/27/2026 06:00"
)

// wantParseError checks that err is a *ParseError at line whose reason contains want.
func wantParseError(t *testing.T, err error, line int, want string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *ParseError", err)
	}
	if pe.Line != line || !strings.Contains(pe.Reason, want) {
		t.Fatalf("error = %q (line %d), want line %d containing %q", err, pe.Line, line, want)
	}
	if pe.File == "" || !strings.Contains(err.Error(), pe.File) {
		t.Fatalf("error %q does not name the file", err)
	}
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func TestParseNCIC(t *testing.T) {
	got, err := ParseNCIC(strings.NewReader(lines(ncicHeader, ncicV, "", ncicP)), "ncic.txt", ParseOptions{List: "NCIC"})
	if err != nil {
		t.Fatal(err)
	}
	want := []alpr.HotEntry{
		{List: "NCIC", Plate: "TST123", State: "CA", Code: "V", Reason: "stolen vehicle", NCICNumber: "CA0390000NIC000001",
			VehicleYear: "2019", VehicleMake: "TOYT", VehicleModel: "CAM", VehicleColor: "BLK",
			EnteredAt: time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)},
		{List: "NCIC", Plate: "ZZZ999", State: "NV", Code: "P", Reason: "stolen plate", NCICNumber: "NV0020000NIC000002",
			EnteredAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestParseNCICFixes(t *testing.T) {
	cases := []struct {
		name, line, plate, state string
	}{
		{"digit 0 for letter O in the state", "VCA0390000NIC00000120261114OHI0123   0H", "OHI0123", "OH"},
		{"dashes and spaces in the plate", "VCA0390000NIC00000120261114AB-1 23   CA", "AB123", "CA"},
		{"lower-case plate", "VCA0390000NIC00000120261114abc123    CA", "ABC123", "CA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseNCIC(strings.NewReader(lines(ncicHeader, tc.line)), "ncic.txt", ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Plate != tc.plate || got[0].State != tc.state {
				t.Fatalf("got %+v, want plate %s state %s", got, tc.plate, tc.state)
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		input  string
		opt    ParseOptions
		line   int
		want   string
	}{
		{"ncic: empty file", FormatNCIC, "", ParseOptions{}, 0, "empty file"},
		{"ncic: DOJ list given", FormatNCIC, lines(dojHeader, "TST123  CA3920261101"), ParseOptions{}, 1, "California DOJ"},
		{"ncic: HTML error page", FormatNCIC, "<html><body>Login</body></html>\n", ParseOptions{}, 1, "web page"},
		{"ncic: bad character in plate", FormatNCIC, lines(ncicHeader, ncicV, "VCA0390000NIC00000320261114TS#123    CA"), ParseOptions{}, 3, `bad character '#' in plate`},
		{"ncic: non-ASCII byte", FormatNCIC, lines(ncicHeader, "VCA0390000NIC00000320261114TSÉ123    CA"), ParseOptions{}, 2, "bad character"},
		{"ncic: truncated record", FormatNCIC, lines(ncicHeader, ncicV, ncicV[:30]), ParseOptions{}, 3, "truncated line"},
		{"ncic: unknown code", FormatNCIC, lines(ncicHeader, "Z"+ncicV[1:]), ParseOptions{}, 2, `unknown list code "Z"`},
		{"ncic: bad state", FormatNCIC, lines(ncicHeader, ncicV[:37]+"C1"+ncicV[39:]), ParseOptions{}, 2, `state "C1"`},
		{"ncic: bad date", FormatNCIC, lines(ncicHeader, ncicV[:19]+"20261399"+ncicV[27:]), ParseOptions{}, 2, "not YYYYMMDD"},
		{"ncic: blank plate", FormatNCIC, lines(ncicHeader, ncicV[:27]+"          "+ncicV[37:]), ParseOptions{}, 2, "no plate"},
		{"ncic: duplicate row", FormatNCIC, lines(ncicHeader, ncicV, ncicP, ncicV), ParseOptions{}, 4, "duplicate of line 2"},
		{"cadoj: missing footer", FormatCADOJ, lines(dojHeader, "TST123  CA3920261101", "7ZZZ999 CA3920261120"), ParseOptions{}, 3, "no TOTAL RECORD footer"},
		{"cadoj: footer count short", FormatCADOJ, lines(dojHeader, "TST123  CA3920261101", "TOTAL RECORD 0000002"), ParseOptions{}, 3, "footer counts 2 records but the file holds 1"},
		{"cadoj: data after footer", FormatCADOJ, lines(dojHeader, "TST123  CA3920261101", "TOTAL RECORD 0000001", "7ZZZ999 CA3920261120"), ParseOptions{}, 4, "after the TOTAL RECORD footer"},
		{"cadoj: footer without count", FormatCADOJ, lines(dojHeader, "TST123  CA3920261101", "TOTAL RECORD"), ParseOptions{}, 3, "no record count"},
		{"cadoj: NCIC given", FormatCADOJ, lines(ncicHeader, ncicV), ParseOptions{}, 1, "NCIC LPR extract"},
		{"cadoj: short record", FormatCADOJ, lines(dojHeader, "TST123  CA39", "TOTAL RECORD 0000001"), ParseOptions{}, 2, "truncated line"},
		{"cadoj: bad date", FormatCADOJ, lines(dojHeader, "TST123  CA3920261341", "TOTAL RECORD 0000001"), ParseOptions{}, 2, "date of loss"},
		{"cadoj: duplicate row", FormatCADOJ, lines(dojHeader, "TST123  CA3920261101", "TST123  CA3920261101", "TOTAL RECORD 0000002"), ParseOptions{}, 3, "duplicate of line 2"},
		{"csv: no plate column", FormatCSV, lines("tag number,state", "ABC123,CA"), ParseOptions{}, 1, "no plate column"},
		{"csv: PLATE;STATE given", FormatCSV, lines("ABC123;CA", "XYZ999;NV"), ParseOptions{}, 1, "PLATE;STATE"},
		{"csv: configured column missing", FormatCSV, lines("plate,state", "ABC123,CA"), ParseOptions{Columns: map[string]string{FieldPlate: "LIC_NO"}}, 1, `no column "LIC_NO"`},
		{"csv: unknown field configured", FormatCSV, lines("plate,state", "ABC123,CA"), ParseOptions{Columns: map[string]string{"colour of car": "c"}}, 1, "unknown field"},
		{"csv: wrong number of fields", FormatCSV, lines("plate,state", "ABC123,CA", "XYZ999,NV,extra"), ParseOptions{}, 3, "wrong number of fields"},
		{"csv: bad character", FormatCSV, lines("plate,state", "ABC123,CA", "AB*999,NV"), ParseOptions{}, 3, `bad character '*'`},
		{"csv: bad expiry", FormatCSV, lines("plate,expires", "ABC123,soon"), ParseOptions{}, 2, "expiry date"},
		{"csv: duplicate row", FormatCSV, lines("plate,state", "ABC123,CA", "XYZ999,NV", "abc-123,CA"), ParseOptions{}, 4, "duplicate of line 2"},
		{"csv: empty", FormatCSV, "", ParseOptions{}, 0, "no CSV header"},
		{"plate-state: CSV given", FormatPlateState, lines("plate,state", "ABC123,CA"), ParseOptions{}, 1, "CSV"},
		{"plate-state: two semicolons", FormatPlateState, lines("ABC123;CA;X"), ParseOptions{}, 1, "want PLATE;STATE"},
		{"plate-state: plate too long", FormatPlateState, lines("ABC123;CA", "ABCDEFGHIJK1;CA"), ParseOptions{}, 2, "longer than 10"},
		{"plate-state: duplicate", FormatPlateState, lines("ABC123;CA", "ABC123;CA"), ParseOptions{}, 2, "duplicate of line 1"},
		{"plate-state: empty", FormatPlateState, "\n\n", ParseOptions{}, 0, "empty file"},
		{"any: line too long", FormatPlateState, strings.Repeat("A", maxLine+10) + ";CA\n", ParseOptions{}, 1, "longer than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.format, strings.NewReader(tc.input), "list.txt", tc.opt)
			if got != nil {
				t.Errorf("entries returned with an error: %+v", got)
			}
			wantParseError(t, err, tc.line, tc.want)
		})
	}
}

func TestParseMergeDuplicates(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		input  string
		want   int
	}{
		{"ncic", FormatNCIC, lines(ncicHeader, ncicV, ncicP, ncicV), 2},
		{"cadoj footer counts the file's records", FormatCADOJ, lines(dojHeader, "TST123  CA3920261101", "TST123  CA3920261101", "TOTAL RECORD 0000002"), 1},
		{"csv", FormatCSV, lines("plate,state", "ABC123,CA", "ABC123,CA"), 1},
		{"plate-state", FormatPlateState, lines("ABC123;CA", "ABC123;CA", "ABC123;NV"), 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.format, strings.NewReader(tc.input), "list.txt", ParseOptions{Duplicates: MergeDuplicates})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Fatalf("got %d entries, want %d", len(got), tc.want)
			}
		})
	}
}

func TestParseCADOJ(t *testing.T) {
	in := lines(dojHeader, "TST123  CA3920261101", "7ZZZ999 0R3920261120", "TOTAL RECORD 0000002")
	got, err := ParseCADOJ(strings.NewReader(in), "svs.txt", ParseOptions{List: "SVS", Reason: "stolen vehicle"})
	if err != nil {
		t.Fatal(err)
	}
	want := []alpr.HotEntry{
		{List: "SVS", Plate: "TST123", State: "CA", Reason: "stolen vehicle", EnteredAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{List: "SVS", Plate: "7ZZZ999", State: "OR", Reason: "stolen vehicle", EnteredAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestParseCSV(t *testing.T) {
	pst := time.FixedZone("PST", -8*3600)
	cases := []struct {
		name  string
		input string
		opt   ParseOptions
		want  alpr.HotEntry
	}{
		{"usual names, any case and spacing",
			lines("Plate,STATE,Alert Type,NCIC_Number,vehicle-make,Colour,Expires", "abc 123,ca,stolen vehicle,V1234,TOYT,BLK,2026-12-01"),
			ParseOptions{List: "LOCAL", Location: pst},
			alpr.HotEntry{List: "LOCAL", Plate: "ABC123", State: "CA", Reason: "stolen vehicle", NCICNumber: "V1234",
				VehicleMake: "TOYT", VehicleColor: "BLK", ExpiresAt: time.Date(2026, 12, 1, 0, 0, 0, 0, pst)}},
		{"configured column names",
			lines("LIC_NO,ST,WHY", "XYZ999,NV,wanted person"),
			ParseOptions{List: "LOCAL", Columns: map[string]string{FieldPlate: "LIC_NO", FieldState: "ST", FieldReason: "WHY"}},
			alpr.HotEntry{List: "LOCAL", Plate: "XYZ999", State: "NV", Reason: "wanted person"}},
		{"list column used when no list is configured",
			lines("\ufeffplate,list,priority,entered by,phone,dr,synopsis", "Q1,GANG,7,Ofc. Ortiz,209-555-0100,26-1,\"seen at 5th, Main\""),
			ParseOptions{},
			alpr.HotEntry{List: "GANG", Plate: "Q1", Priority: 7, EnteredBy: "Ofc. Ortiz", Phone: "209-555-0100", DRNumber: "26-1", Synopsis: "seen at 5th, Main"}},
		{"default reason",
			lines("plate", "TST123"), ParseOptions{Reason: "BOLO"},
			alpr.HotEntry{Plate: "TST123", Reason: "BOLO"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCSV(strings.NewReader(tc.input), "list.csv", tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d entries, want 1", len(got))
			}
			if !got[0].ExpiresAt.Equal(tc.want.ExpiresAt) {
				t.Errorf("expires %v, want %v", got[0].ExpiresAt, tc.want.ExpiresAt)
			}
			got[0].ExpiresAt = tc.want.ExpiresAt
			if got[0] != tc.want {
				t.Errorf("\n got %+v\nwant %+v", got[0], tc.want)
			}
		})
	}
}

func TestParsePlateState(t *testing.T) {
	got, err := ParsePlateState(strings.NewReader(lines("PLATE;STATE", "ABC123;CA", "xyz-999; nv ", "", "NOSTATE;")), "bolo.txt", ParseOptions{List: "BOLO"})
	if err != nil {
		t.Fatal(err)
	}
	want := []alpr.HotEntry{{List: "BOLO", Plate: "ABC123", State: "CA"}, {List: "BOLO", Plate: "XYZ999", State: "NV"}, {List: "BOLO", Plate: "NOSTATE"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
