package learn

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/wire"
)

func TestMayOperate(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	r := wire.Roster{At: now, Operators: []wire.RosterEntry{
		{ID: "1001", Active: true, CertifiedUntil: now.AddDate(0, 6, 0)},
		{ID: "1002", Active: true, CertifiedUntil: now.AddDate(0, 0, -3)},
		{ID: "1003", Active: false},
		{ID: "1004", Active: true},                                               // no end recorded
		{ID: "1005", Active: true, CertifiedUntil: now.Truncate(24 * time.Hour)}, // lapses at the end of today
	}}
	tests := []struct {
		id, want string // want "" = allowed
	}{
		{"1001", ""}, {"1002", "lapsed"}, {"1003", "not active"}, {"1004", ""}, {"1005", ""}, {"9999", "not on the agency's roster"},
	}
	for _, tc := range tests {
		err := MayOperate(r, tc.id, now)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.id, err, tc.want)
		}
	}
	c := RosterCopy{Path: filepath.Join(t.TempDir(), "roster.json")}
	if _, err := c.Load(); !errors.Is(err, ErrNoRoster) {
		t.Fatalf("no copy yet: %v", err)
	}
	if err := c.Save(r); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Load(); err != nil || len(got.Operators) != 5 {
		t.Fatalf("kept copy: %+v, %v", got, err)
	}
}
