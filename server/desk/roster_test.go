package desk

import (
	"strings"
	"testing"
	"time"
)

func TestParseRoster(t *testing.T) {
	tests := []struct {
		name, csv, err string
		n              int
	}{
		{"two operators", "operator_id,name,trained_on,certification,certified_until,active\n" +
			"4711,Officer Able,2025-06-01,Vendor course,2027-06-30,true\n4712,Officer Baker,,,,no\n", "", 2},
		{"columns in any order", "name,certified_until,operator_id,certification,trained_on\nOfficer Able,2027-06-30,4711,x,2025-06-01\n", "", 1},
		{"missing column", "operator_id,name,trained_on\n4711,A,2025-06-01\n", "no certification column", 0},
		{"bad date", "operator_id,name,trained_on,certification,certified_until\n4711,A,06/01/2025,x,\n", "line 2: trained_on", 0},
		{"no id", "operator_id,name,trained_on,certification,certified_until\n,A,,,\n", "line 2: an operator_id and a name", 0},
		{"empty", "", "empty", 0},
		{"header only", "operator_id,name,trained_on,certification,certified_until\n", "names no operator", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRoster(strings.NewReader(tt.csv))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil || len(got) != tt.n {
				t.Fatalf("got %d operators, %v; want %d", len(got), err, tt.n)
			}
		})
	}
	got, _ := parseRoster(strings.NewReader("operator_id,name,trained_on,certification,certified_until,active\n" +
		"4712,Officer Baker,2024-11-01,Department trainer,2026-11-30,no\n"))
	o := got[0]
	if o.ID != "4712" || o.Name != "Officer Baker" || o.Active || o.Certification != "Department trainer" ||
		!o.TrainedOn.Equal(time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)) || !o.CertifiedUntil.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("operator = %+v", o)
	}
	if !o.Lapsed(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) || o.Lapsed(time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)) {
		t.Error("a certification lapses the day after its last day")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/report?q=2026-Q4": "/report?q=2026-Q4", "": "/", "https://evil.example/": "/", "//evil.example": "/", `/\evil.example`: "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQuarter(t *testing.T) {
	q := quarterOf(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	if q.String() != "2026-Q4" || !q.From().Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) ||
		!q.To().Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) || q.Prev().String() != "2026-Q3" ||
		(quarter{2026, 1}).Prev().String() != "2025-Q4" {
		t.Errorf("quarter arithmetic: %v %v %v %v", q, q.From(), q.To(), q.Prev())
	}
}
