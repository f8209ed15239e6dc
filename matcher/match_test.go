package matcher

import (
	"slices"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

var t0 = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// fixture is a small set of lists, one for each tolerance, with entries chosen so that
// every rule of the matcher has a plate to hit or to miss.
func fixture() *Index {
	lists := []alpr.HotList{
		{Name: "EXACT", Kind: alpr.General, Priority: 9, Tolerance: alpr.Exact},
		{Name: "LOOK", Kind: alpr.General, Priority: 5, Tolerance: alpr.LookAlike},
		{Name: "INDEL", Kind: alpr.Special, Priority: 3, Tolerance: alpr.LookAlikeOrIndel, Informational: true},
	}
	e := func(list, plate, state string) alpr.HotEntry {
		return alpr.HotEntry{List: list, Plate: plate, State: state, Code: "V", Reason: "stolen vehicle"}
	}
	entries := []alpr.HotEntry{
		e("EXACT", "7ABC123", "CA"),
		e("LOOK", "8XYZ000", "CA"),   // 8/B and 0/O/D/Q
		e("LOOK", "1TIL234", ""),     // 1/I/L/T, no listed state
		e("LOOK", "2SG9999", "NV"),   // 2/Z, 5/S, 6/G
		e("LOOK", "LIST LATE", "CA"), // normalised to LISTLATE
		e("INDEL", "4KPW567", "CA"),
		e("INDEL", "ABCD", "CA"), // too short for a missing character
		{List: "LOOK", Plate: "5EXP001", ExpiresAt: t0.Add(time.Hour)},
		// One plate on two lists and twice on one list: all three reported.
		e("EXACT", "6MULTI1", "CA"),
		{List: "LOOK", Plate: "6MULTI1", State: "CA", Priority: 7, Reason: "wanted person", Code: "W"},
		{List: "LOOK", Plate: "6MULTI1", State: "CA", Reason: "missing person", Code: "M"},
	}
	return NewIndex(lists, entries)
}

// want is the part of a match a case checks.
type want struct {
	list, plate string
	kind        alpr.MatchKind
	read        string
	alt         bool
	differs     []int
	edit        string
	state       alpr.StateCheck
	priority    int
}

func TestMatch(t *testing.T) {
	ix := fixture()
	alts := func(ps ...string) []alpr.Alternate {
		var out []alpr.Alternate
		for _, p := range ps {
			out = append(out, alpr.Alternate{Plate: p, Score: 0.5})
		}
		return out
	}
	cases := []struct {
		name string
		q    Query
		want []want
	}{
		{"exact", Query{Plate: "7ABC123", State: "CA"},
			[]want{{list: "EXACT", plate: "7ABC123", kind: alpr.MatchExact, read: "7ABC123", state: alpr.StateMatch, priority: 9}}},
		{"read normalised: case, spaces, dashes", Query{Plate: " 7abc-12 3", State: "ca"},
			[]want{{list: "EXACT", plate: "7ABC123", kind: alpr.MatchExact, read: "7ABC123", state: alpr.StateMatch, priority: 9}}},
		{"listed plate normalised", Query{Plate: "LISTLATE", State: "CA"},
			[]want{{list: "LOOK", plate: "LISTLATE", kind: alpr.MatchExact, read: "LISTLATE", state: alpr.StateMatch, priority: 5}}},
		{"state mismatch is shown, not hidden", Query{Plate: "7ABC123", State: "NV"},
			[]want{{list: "EXACT", plate: "7ABC123", kind: alpr.MatchExact, read: "7ABC123", state: alpr.StateMismatch, priority: 9}}},
		{"no state read", Query{Plate: "7ABC123"},
			[]want{{list: "EXACT", plate: "7ABC123", kind: alpr.MatchExact, read: "7ABC123", state: alpr.StateUnknown, priority: 9}}},
		{"no state listed", Query{Plate: "1TIL234", State: "CA"},
			[]want{{list: "LOOK", plate: "1TIL234", kind: alpr.MatchExact, read: "1TIL234", state: alpr.StateUnknown, priority: 5}}},
		{"exact list refuses a look-alike", Query{Plate: "7A8C123"}, nil},
		{"exact list ignores alternates", Query{Plate: "7A8C123", Alternates: alts("7ABC123")}, nil},
		{"look-alike 8/B", Query{Plate: "BXYZ000", State: "CA"},
			[]want{{list: "LOOK", plate: "8XYZ000", kind: alpr.MatchNear, read: "BXYZ000", differs: []int{0},
				edit: "B read for 8 at position 1", state: alpr.StateMatch, priority: 5}}},
		{"look-alike 0/O/D/Q", Query{Plate: "8XYZODQ", State: "CA"},
			[]want{{list: "LOOK", plate: "8XYZ000", kind: alpr.MatchNear, read: "8XYZODQ", differs: []int{4, 5, 6},
				edit: "O read for 0 at position 5, D read for 0 at position 6, Q read for 0 at position 7", state: alpr.StateMatch, priority: 5}}},
		{"look-alike 1/I/L/T", Query{Plate: "TLI1234"},
			[]want{{list: "LOOK", plate: "1TIL234", kind: alpr.MatchNear, read: "TLI1234", differs: []int{0, 1, 3},
				edit:  "T read for 1 at position 1, L read for T at position 2, 1 read for L at position 4",
				state: alpr.StateUnknown, priority: 5}}},
		{"look-alike 2/Z, 5/S, 6/G", Query{Plate: "Z569999", State: "NV"},
			[]want{{list: "LOOK", plate: "2SG9999", kind: alpr.MatchNear, read: "Z569999", differs: []int{0, 1, 2},
				edit: "Z read for 2 at position 1, 5 read for S at position 2, 6 read for G at position 3", state: alpr.StateMatch, priority: 5}}},
		{"not a look-alike: A/4", Query{Plate: "8XYZ00A"}, nil},
		{"look-alike list refuses a missing character", Query{Plate: "8XYZ00"}, nil},
		{"alternate matches when the best read does not", Query{Plate: "9XYZ000", Alternates: alts("8XYZ000")},
			[]want{{list: "LOOK", plate: "8XYZ000", kind: alpr.MatchExact, read: "8XYZ000", alt: true, state: alpr.StateUnknown, priority: 5}}},
		{"exact alternate beats look-alike best read", Query{Plate: "BXYZ000", Alternates: alts("8XYZ000")},
			[]want{{list: "LOOK", plate: "8XYZ000", kind: alpr.MatchExact, read: "8XYZ000", alt: true, state: alpr.StateUnknown, priority: 5}}},
		{"best read beats alternate of the same kind", Query{Plate: "8XYZ000", Alternates: alts("BXYZ000")},
			[]want{{list: "LOOK", plate: "8XYZ000", kind: alpr.MatchExact, read: "8XYZ000", state: alpr.StateUnknown, priority: 5}}},
		{"extra character read", Query{Plate: "4KPWW567", State: "CA"},
			[]want{{list: "INDEL", plate: "4KPW567", kind: alpr.MatchNear, read: "4KPWW567", differs: []int{3},
				edit: "extra W read at position 4", state: alpr.StateMatch, priority: 3}}},
		{"extra character at the end", Query{Plate: "4KPW5671"},
			[]want{{list: "INDEL", plate: "4KPW567", kind: alpr.MatchNear, read: "4KPW5671", differs: []int{7},
				edit: "extra 1 read at position 8", state: alpr.StateUnknown, priority: 3}}},
		{"missing character", Query{Plate: "4KP567", State: "CA"},
			[]want{{list: "INDEL", plate: "4KPW567", kind: alpr.MatchNear, read: "4KP567",
				edit: "W missing at position 4", state: alpr.StateMatch, priority: 3}}},
		{"missing character and a look-alike", Query{Plate: "KPW5G7"},
			[]want{{list: "INDEL", plate: "4KPW567", kind: alpr.MatchNear, read: "KPW5G7", differs: []int{4},
				edit: "4 missing at position 1, G read for 6 at position 5", state: alpr.StateUnknown, priority: 3}}},
		{"two characters missing", Query{Plate: "4KP57"}, nil},
		{"substitution that is not a look-alike", Query{Plate: "4KPX567"}, nil},
		{"no missing character below the minimum length", Query{Plate: "ABC"}, nil},
		{"entry before its expiry", Query{Plate: "5EXP001", At: t0.Add(time.Hour - time.Nanosecond)},
			[]want{{list: "LOOK", plate: "5EXP001", kind: alpr.MatchExact, read: "5EXP001", state: alpr.StateUnknown, priority: 5}}},
		{"entry at its expiry instant", Query{Plate: "5EXP001", At: t0.Add(time.Hour)}, nil},
		{"every entry of a plate, highest priority first", Query{Plate: "6MULTI1", State: "CA"}, []want{
			{list: "EXACT", plate: "6MULTI1", kind: alpr.MatchExact, read: "6MULTI1", state: alpr.StateMatch, priority: 9},
			{list: "LOOK", plate: "6MULTI1", kind: alpr.MatchExact, read: "6MULTI1", state: alpr.StateMatch, priority: 7},
			{list: "LOOK", plate: "6MULTI1", kind: alpr.MatchExact, read: "6MULTI1", state: alpr.StateMatch, priority: 5},
		}},
		{"empty read", Query{Plate: " - "}, nil},
		{"unknown plate", Query{Plate: "QQQ9999"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ix.Match(tc.q)
			if len(got) != len(tc.want) {
				t.Fatalf("Match(%+v) = %d matches %+v, want %d", tc.q, len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Entry.List != w.list || g.Entry.Plate != w.plate || g.Kind != w.kind || g.ReadPlate != w.read ||
					g.Alternate != w.alt || !slices.Equal(g.Differs, w.differs) || g.Edit != w.edit ||
					g.State != w.state || g.Entry.Priority != w.priority {
					t.Errorf("match %d:\n got %s %s kind=%s read=%s alt=%v differs=%v edit=%q state=%s prio=%d\nwant %+v",
						i, g.Entry.List, g.Entry.Plate, g.Kind, g.ReadPlate, g.Alternate, g.Differs, g.Edit, g.State, g.Entry.Priority, w)
				}
			}
		})
	}
}

func TestMatchCarriesListFlags(t *testing.T) {
	ix := fixture()
	got := ix.Match(Query{Plate: "4KPW567"})
	if len(got) != 1 {
		t.Fatalf("got %d matches, want 1", len(got))
	}
	if !got[0].Entry.Informational {
		t.Error("entry of an informational list (IV.C.4) not marked informational")
	}
	if got[0].Entry.Reason != "stolen vehicle" || got[0].Entry.Code != "V" {
		t.Errorf("entry details lost: %+v", got[0].Entry)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	full := alpr.HotEntry{
		ID: 42, List: "OFFICER", Plate: "8ABC123", State: "CA", Code: "SVS", Reason: "stolen vehicle",
		NCICNumber: "V123456789", VehicleYear: "2019", VehicleMake: "TOYT", VehicleModel: "CAM",
		VehicleColor: "BLK", EnteredBy: "Ofc. Ortiz", Phone: "209-555-0100", DRNumber: "26-012345",
		Synopsis: "taken from driveway", EnteredAt: time.Date(2026, 11, 20, 8, 30, 0, 5, time.UTC),
		ExpiresAt: time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC), Priority: -3, Informational: true, Covert: true,
	}
	cases := []struct {
		name string
		e    alpr.HotEntry
	}{
		{"every field", full},
		{"plate only", alpr.HotEntry{List: "OFFICER", Plate: "X1"}},
		{"times before 1970", alpr.HotEntry{List: "OFFICER", Plate: "OLD1", EnteredAt: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newRecordWriter(1)
			w.add(&tc.e, entryMeta{plate: tc.e.Plate, priority: tc.e.Priority, informational: tc.e.Informational, covert: tc.e.Covert})
			next := alpr.HotEntry{Plate: "NEXT1", Reason: tc.e.Reason}
			w.add(&next, entryMeta{plate: next.Plate}) // a neighbour must not bleed in
			r := w.finish()
			got := r.entry(0, tc.e.List)
			if !got.EnteredAt.Equal(tc.e.EnteredAt) || !got.ExpiresAt.Equal(tc.e.ExpiresAt) {
				t.Errorf("times: got %v %v, want %v %v", got.EnteredAt, got.ExpiresAt, tc.e.EnteredAt, tc.e.ExpiresAt)
			}
			got.EnteredAt, got.ExpiresAt = tc.e.EnteredAt, tc.e.ExpiresAt
			if got != tc.e {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tc.e)
			}
			if next := r.entry(1, ""); next.Plate != "NEXT1" || next.Reason != tc.e.Reason {
				t.Errorf("second record: %+v", next)
			}
		})
	}
}

func TestWithReplacesOneList(t *testing.T) {
	base := fixture()
	before := base.Len()
	next := base.With(alpr.HotList{Name: "LOOK", Priority: 1, Tolerance: alpr.Exact},
		[]alpr.HotEntry{{Plate: "NEW1234", List: "ignored"}})
	if got := base.Len(); got != before {
		t.Errorf("With changed the original index: Len %d, want %d", got, before)
	}
	if m := next.Match(Query{Plate: "8XYZ000"}); m != nil {
		t.Errorf("old entry of the replaced list still matches: %+v", m)
	}
	if m := next.Match(Query{Plate: "NEW1234"}); len(m) != 1 || m[0].Entry.List != "LOOK" || m[0].Entry.Priority != 1 {
		t.Errorf("new entry: got %+v", m)
	}
	if m := next.Match(Query{Plate: "7ABC123"}); len(m) != 1 {
		t.Errorf("other list lost: got %+v", m)
	}
	if m := next.Only("LOOK").Match(Query{Plate: "7ABC123"}); m != nil {
		t.Errorf("Only(LOOK) still matches EXACT: %+v", m)
	}
	if m := next.Without("EXACT").Match(Query{Plate: "7ABC123"}); m != nil {
		t.Errorf("Without(EXACT) still matches EXACT: %+v", m)
	}
	var names []string
	for _, l := range next.Lists() {
		names = append(names, l.Name)
	}
	if !slices.Equal(names, []string{"EXACT", "INDEL", "LOOK"}) {
		t.Errorf("Lists() = %v", names)
	}
}

func TestUnknownListIsExact(t *testing.T) {
	ix := NewIndex(nil, []alpr.HotEntry{{List: "MYSTERY", Plate: "8ABC123"}})
	if m := ix.Match(Query{Plate: "BABC123"}); m != nil {
		t.Errorf("entry of an undescribed list matched a look-alike: %+v", m)
	}
	if m := ix.Match(Query{Plate: "8ABC123"}); len(m) != 1 {
		t.Errorf("entry of an undescribed list: got %d matches, want 1", len(m))
	}
}

func TestNilIndex(t *testing.T) {
	var ix *Index
	if m := ix.Match(Query{Plate: "ABC123"}); m != nil || ix.Len() != 0 {
		t.Errorf("nil index matched %v, Len %d", m, ix.Len())
	}
}

func TestLargeListMatchesWithoutIndels(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lists of a hundred thousand entries")
	}
	plates := func(n int, list string) []alpr.HotEntry {
		es := ncicLike(n, 9)
		for i := range es {
			es[i].List = list
		}
		es[0].Plate = "4KPW567"
		return es
	}
	cases := []struct {
		name      string
		entries   int
		wantIndel bool
	}{
		{"at the limit", MaxIndelEntries, true},
		{"over the limit", MaxIndelEntries + 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ix := NewIndex([]alpr.HotList{{Name: "BIG", Tolerance: alpr.LookAlikeOrIndel}}, plates(tc.entries, "BIG"))
			want := alpr.LookAlike
			if tc.wantIndel {
				want = alpr.LookAlikeOrIndel
			}
			if got := ix.Lists()[0].Tolerance; got != want {
				t.Errorf("tolerance in effect = %v, want %v", got, want)
			}
			if got := len(ix.Match(Query{Plate: "4KP567"})) > 0; got != tc.wantIndel {
				t.Errorf("missing character matched = %v, want %v", got, tc.wantIndel)
			}
			if len(ix.Match(Query{Plate: "4KPW5G7"})) == 0 {
				t.Error("look-alike lost")
			}
		})
	}
}
