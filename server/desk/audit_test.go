package desk_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"patrol-alpr/server/desk"
	"patrol-alpr/server/postgres"
)

func TestSearchFlags(t *testing.T) {
	e := newEnv(t, desk.Options{})
	ctx := context.Background()
	tests := []struct {
		name   string
		filter postgres.SearchFilter
		want   map[string][]string // search id -> flags
	}{
		{"all", postgres.SearchFilter{}, map[string][]string{
			"2317:2": nil,
			"2317:4": {postgres.FlagNoCase, postgres.FlagOutsideShift},
			"2318:1": nil, // 4712 has no shift entries: the shift is not judged
		}},
		{"many per day", postgres.SearchFilter{ManyPerDay: 1}, map[string][]string{
			"2317:2": {postgres.FlagManyQueries},
			"2317:4": {postgres.FlagNoCase, postgres.FlagOutsideShift, postgres.FlagManyQueries},
			"2318:1": nil,
		}},
		{"flagged only", postgres.SearchFilter{FlaggedOnly: true}, map[string][]string{
			"2317:4": {postgres.FlagNoCase, postgres.FlagOutsideShift},
		}},
		{"by operator", postgres.SearchFilter{Operator: "4712"}, map[string][]string{"2318:1": nil}},
		{"by case", postgres.SearchFilter{CaseNumber: "C-1"}, map[string][]string{"2317:2": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.db.Searches(ctx, e.agency, tt.filter)
			must(t, err)
			flags := map[string][]string{}
			for _, s := range got {
				flags[s.ID] = s.Flags
			}
			if !reflect.DeepEqual(flags, tt.want) {
				t.Errorf("flags = %v, want %v", flags, tt.want)
			}
		})
	}

	// The administrator records an outcome; the unreviewed filter no longer shows it.
	must(t, e.db.ReviewSearch(ctx, e.agency, "2317:4", postgres.AuditNotCompliant, "no case; counselled", adminName))
	got, err := e.db.Searches(ctx, e.agency, postgres.SearchFilter{Unreviewed: true})
	must(t, err)
	for _, s := range got {
		if s.ID == "2317:4" {
			t.Errorf("a reviewed search is listed as unreviewed")
		}
	}
	got, err = e.db.Searches(ctx, e.agency, postgres.SearchFilter{CaseNumber: ""})
	must(t, err)
	for _, s := range got {
		if s.ID == "2317:4" && (s.Outcome != postgres.AuditNotCompliant || s.ReviewedBy != adminName || s.Note != "no case; counselled") {
			t.Errorf("review = %+v", s)
		}
	}
	if err := e.db.ReviewSearch(ctx, e.agency, "2317:4", "fine", "", adminName); err == nil {
		t.Error("an outcome not in the list was recorded")
	}
	if err := e.db.ReviewSearch(ctx, e.agency, "9999:1", postgres.AuditCompliant, "", adminName); err == nil {
		t.Error("a review of a search that does not exist was recorded")
	}
}

func TestVerifyChainsFindsFirstBrokenLink(t *testing.T) {
	e := newEnv(t, desk.Options{})
	check := func(fromStart bool) {
		t.Helper()
		got, err := e.db.VerifyChains(context.Background(), e.agency, fromStart)
		must(t, err)
		if len(got) != 2 {
			t.Fatalf("chains = %+v, want 2317 and 2318", got)
		}
		if c := got[0]; c.Vehicle != "2317" || !c.OK() || c.Verified != 4 || c.LastSeq != 4 {
			t.Errorf("2317 = %+v, want 4 entries verified", c)
		}
		if c := got[1]; c.Vehicle != "2318" || c.OK() || c.Verified != 1 || c.BrokenSeq != 2 || !strings.Contains(c.Problem, "changed") {
			t.Errorf("2318 = %+v, want verified through 1, broken at entry 2, changed", c)
		}
	}
	check(false)
	check(false) // from where the first check stopped
	check(true)

	// An entry changed in the database after it was verified is found by verifying from the start.
	_, err := e.db.Pool().Exec(context.Background(), `UPDATE audit_entries SET detail = 'nothing to see'
		WHERE agency_id = $1 AND vehicle = '2317' AND seq = 2`, e.agency)
	must(t, err)
	got, err := e.db.VerifyChains(context.Background(), e.agency, false)
	must(t, err)
	if !got[0].OK() {
		t.Errorf("2317 re-read entries it had verified: %+v", got[0])
	}
	got, err = e.db.VerifyChains(context.Background(), e.agency, true)
	must(t, err)
	if c := got[0]; c.OK() || c.BrokenSeq != 2 || c.Verified != 1 {
		t.Errorf("2317 from the start after a change = %+v, want broken at 2", c)
	}

	// The page says so too, to the auditor.
	c := e.client(auditorName, auditorPassword)
	res, body := e.get(c, "/audit")
	if res.StatusCode != 200 || !strings.Contains(body, "2 of 2 chains are broken") || !strings.Contains(body, "broken at entry 2") {
		t.Errorf("audit page: %s, chain result not shown", res.Status)
	}
}
