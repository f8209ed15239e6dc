package desk

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"patrol-alpr/server/postgres"
)

// trainingView is the training roster (III.B.1.b, III.C.1-2).
type trainingView struct {
	Roster []postgres.Trainee
	Lapsed int
	Soon   map[string]bool // certification lapses within 30 days
}

func (d *Desk) trainingPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	roster, err := d.db.Roster(r.Context(), s.Agency)
	if err != nil {
		return err
	}
	now := d.opt.Now()
	v := trainingView{Roster: roster, Soon: map[string]bool{}}
	for _, t := range roster {
		if t.Lapsed(now) {
			v.Lapsed++
		} else if t.Lapsed(now.AddDate(0, 0, 30)) {
			v.Soon[t.ID] = true
		}
	}
	return d.render(w, r, "training", "Training roster", s, v)
}

// maxRosterCSV bounds an uploaded roster.
const maxRosterCSV = 1 << 20

// trainingImport reads a roster CSV with a header naming its columns: operator_id, name,
// trained_on, certification, certified_until and optionally active (true/false). Dates are
// YYYY-MM-DD. The whole file is imported or none of it.
func (d *Desk) trainingImport(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxRosterCSV+4096)
	f, _, err := r.FormFile("roster")
	if err != nil {
		return userError{"Choose a CSV file of the roster to import."}
	}
	defer f.Close()
	ts, err := parseRoster(f)
	if err != nil {
		return userError{"The roster was not imported: " + err.Error() + "."}
	}
	if err := d.db.PutTrainees(r.Context(), s.Agency, ts, s.User); err != nil {
		return err
	}
	redirect(w, r, "/training", "imported")
	return nil
}

func parseRoster(in io.Reader) ([]postgres.Trainee, error) {
	c := csv.NewReader(in)
	c.TrimLeadingSpace = true
	head, err := c.Read()
	if err != nil {
		return nil, errors.New("the file is empty or not CSV")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"operator_id", "name", "trained_on", "certification", "certified_until"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("the header has no %s column", need)
		}
	}
	var out []postgres.Trainee
	for line := 2; ; line++ {
		rec, err := c.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		t := postgres.Trainee{ID: get("operator_id"), Name: get("name"), Certification: get("certification"), Active: true}
		if t.ID == "" || t.Name == "" {
			return nil, fmt.Errorf("line %d: an operator_id and a name are required", line)
		}
		for _, dt := range []struct {
			field string
			to    *time.Time
		}{{"trained_on", &t.TrainedOn}, {"certified_until", &t.CertifiedUntil}} {
			if v := get(dt.field); v != "" {
				if *dt.to, err = time.Parse(time.DateOnly, v); err != nil {
					return nil, fmt.Errorf("line %d: %s %q is not YYYY-MM-DD", line, dt.field, v)
				}
			}
		}
		if a := strings.ToLower(get("active")); a == "false" || a == "no" || a == "0" {
			t.Active = false
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("the file names no operator")
	}
	return out, nil
}
