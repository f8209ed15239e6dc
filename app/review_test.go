package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// TestCertificate checks what a trainee's certificate says for each kind of exercise
// (issue 7): the scenarios run, each hit's disposition with the time it took, the
// searches with their purpose and case number, and the checklist of exercises.
func TestCertificate(t *testing.T) {
	start := time.Date(2025, 3, 14, 21, 30, 0, 0, time.UTC)
	hit := func(plate string, raised time.Duration, d *alpr.Disposition) alpr.Hit {
		e := stolen
		e.Plate = plate
		return alpr.Hit{Match: alpr.Match{ReadPlate: plate, Entry: e}, RaisedAt: start.Add(raised), Disposition: d}
	}
	tests := []struct {
		name     string
		log      []triggered
		hits     []alpr.Hit
		searches []store.Purpose // run against a real store, as the search screen does
		want     []string
		wantNot  []string
	}{
		{
			name: "nothing done yet",
			want: []string{"Trainee:  J. Rivera (4127)", "Session:  2025-03-14 21:30 to 22:10 (40 min)", "Unit:     TRAINING-1",
				"[ ] Scenarios shown by the trainer: 0", "[ ] Hits confirmed or rejected with the reason: 0 of 0",
				"[ ] Searches with a purpose and a case number (I.C): 0", "[ ] Shift system check (III.C.7)", "Trainer: ____"},
		},
		{
			name: "confirmed hit, with the time it took",
			log:  []triggered{{name: "Stolen-vehicle hit", at: start.Add(time.Minute)}},
			hits: []alpr.Hit{hit("7ABC123", time.Minute+5*time.Second, &alpr.Disposition{Outcome: alpr.Confirmed, ConfirmedBy: alpr.ConfirmedByRadio,
				ReportNumber: "25-118", Evidence: true, OperatorID: officer.ID, At: start.Add(2*time.Minute + 35*time.Second)})},
			want: []string{"[x] Scenarios shown by the trainer: 1", "21:31:00  Stolen-vehicle hit",
				"21:31:05  read 7ABC123, listed 7ABC123 CA on SVS (Stolen vehicle)",
				"CONFIRMED by radio · report 25-118 · kept as evidence · by 4127 · at 21:32:35 · 1m30s after the alert",
				"[x] Hits confirmed or rejected with the reason: 1 of 1"},
		},
		{
			name: "rejected hit with its reason and note",
			hits: []alpr.Hit{hit("7A8C123", 0, &alpr.Disposition{Outcome: alpr.Rejected, Reason: alpr.RejectMisread,
				Note: "B on the plate, not 8", OperatorID: officer.ID, At: start.Add(20 * time.Second)})},
			want: []string{"REJECTED: " + alpr.RejectMisread + " · by 4127 · at 21:30:20 · 20s after the alert", "Note: B on the plate, not 8"},
		},
		{
			name: "a hit left open counts against the trainee",
			hits: []alpr.Hit{
				hit("7ABC123", 0, &alpr.Disposition{Outcome: alpr.Confirmed, ConfirmedBy: alpr.ConfirmedByMDC, OperatorID: officer.ID, At: start.Add(time.Minute)}),
				hit("5KLM777", time.Minute, nil),
			},
			want: []string{"NOT DECIDED", "[ ] Hits confirmed or rejected with the reason: 1 of 2"},
		},
		{
			name: "another operator's decisions are not on this certificate",
			hits: []alpr.Hit{hit("6MNO404", 0, &alpr.Disposition{Outcome: alpr.Rejected, Reason: alpr.RejectWrongState, OperatorID: analyst.ID, At: start})},
			want: []string{"HITS AND DISPOSITIONS (0)"}, wantNot: []string{"6MNO404"},
		},
		{
			name: "searches with purpose and case number, and the shift check",
			searches: []store.Purpose{
				{OperatorID: officer.ID, Purpose: searchPurposes[2], CaseNumber: "TRN-7"},
				{OperatorID: officer.ID, Purpose: selfCheckWhy, CaseNumber: "SHIFT-1"},
				{OperatorID: analyst.ID, Purpose: searchPurposes[0], CaseNumber: "NOT-MINE"},
			},
			want: []string{"SEARCHES (2)", searchPurposes[2] + " · case TRN-7 · plate 7AB* · 0 results", selfCheckWhy + " · case SHIFT-1",
				"[x] Searches with a purpose and a case number (I.C): 2", "[x] Shift system check (III.C.7)"},
			wantNot: []string{"NOT-MINE"},
		},
		{
			name: "a scenario that did not start says why",
			log:  []triggered{{name: "GPS loses its fix", at: start, err: errors.New("no GPS route loaded")}},
			want: []string{"21:30:00  GPS loses its fix — did not start: no GPS route loaded", "[ ] Scenarios shown by the trainer: 0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			ctx := context.Background()
			for _, p := range tt.searches {
				if _, err := f.db.SearchDetections(ctx, store.Query{Plate: "7AB*"}, p); err != nil {
					t.Fatal(err)
				}
			}
			audit, err := f.db.AuditLog(ctx, start)
			if err != nil {
				t.Fatal(err)
			}
			log := newClassroomLog(start)
			log.scenarios = tt.log
			log.operators[officer.ID] = officer
			r := newSessionReview(log, start.Add(40*time.Minute), "TRAINING-1", tt.hits, audit)
			got := r.certificate(officer)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("certificate lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("certificate shows %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestSessionReviewCertifiesTraineesNotTrainers(t *testing.T) {
	start := time.Date(2025, 3, 14, 21, 30, 0, 0, time.UTC)
	log := newClassroomLog(start)
	log.operators[trainer.ID] = trainer
	log.operators[officer.ID] = officer
	hits := []alpr.Hit{{RaisedAt: start, Disposition: &alpr.Disposition{Outcome: alpr.Rejected, OperatorID: "GUEST-2", At: start}}}
	r := newSessionReview(log, start.Add(time.Hour), "", hits, nil)
	var ids []string
	for _, op := range r.trainees {
		ids = append(ids, op.ID+"/"+op.Name)
	}
	// The officer signed in; GUEST-2 acted without signing in here, so only the ID is known.
	if got, want := strings.Join(ids, ","), "4127/J. Rivera,GUEST-2/GUEST-2"; got != want {
		t.Errorf("trainees %s, want %s", got, want)
	}
}

func TestSaveCertificate(t *testing.T) {
	until := time.Date(2025, 3, 14, 22, 5, 0, 0, time.UTC)
	r := sessionReview{since: until.Add(-time.Hour), until: until}
	tests := []struct {
		name     string
		trainee  alpr.Operator
		wantFile string
	}{
		{"named with the trainee and the date", officer, "certificate-4127-2025-03-14-2205.txt"},
		{"an ID cannot leave the folder", alpr.Operator{ID: "../../etc/x", Name: "X"}, "certificate-etcx-2025-03-14-2205.txt"},
		{"an ID of no safe character", alpr.Operator{ID: "/", Name: "Y"}, "certificate-trainee-2025-03-14-2205.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "certificates") // not made yet
			path, err := r.saveCertificate(dir, tt.trainee)
			if err != nil {
				t.Fatal(err)
			}
			if path != filepath.Join(dir, tt.wantFile) {
				t.Errorf("saved to %s, want %s", path, tt.wantFile)
			}
			body, err := os.ReadFile(path)
			if err != nil || string(body) != r.certificate(tt.trainee) {
				t.Errorf("file holds %q, %v", body, err)
			}
		})
	}

	// A folder that cannot be made is an error the trainer reads, not a silent loss.
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.saveCertificate(filepath.Join(file, "certificates"), officer); err == nil || !strings.Contains(err.Error(), "save certificate") {
		t.Errorf("save into a file: err = %v", err)
	}
}
