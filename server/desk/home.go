package desk

import (
	"net/http"

	"patrol-alpr/alpr"
	"patrol-alpr/server/postgres"
)

// homeView is the desk's front page: what waits for the administrator.
type homeView struct {
	ListsAwaiting      int
	OpenReports        int
	OverdueInspections int
	Lapsed             int
	Unreviewed         int
	Requests           int // from outside the network, undecided
}

func (d *Desk) home(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	var v homeView
	if s.Role != postgres.RoleInvestigator {
		ctx := r.Context()
		now := d.opt.Now()
		lists, err := d.db.DeskLists(ctx, s.Agency)
		if err != nil {
			return err
		}
		for _, l := range lists {
			if l.NeedsApproval() {
				v.ListsAwaiting++
			}
		}
		reports, err := d.db.EquipmentReports(ctx, s.Agency)
		if err != nil {
			return err
		}
		for _, e := range reports {
			if e.ClosedAt.IsZero() {
				v.OpenReports++
			}
		}
		ins, err := d.db.Inspections(ctx, s.Agency, cameraNames())
		if err != nil {
			return err
		}
		for _, c := range ins {
			if c.Overdue(now) {
				v.OverdueInspections++
			}
		}
		roster, err := d.db.Roster(ctx, s.Agency)
		if err != nil {
			return err
		}
		for _, t := range roster {
			if t.Active && t.Lapsed(now) {
				v.Lapsed++
			}
		}
		flagged, err := d.db.Searches(ctx, s.Agency, postgres.SearchFilter{FlaggedOnly: true, Unreviewed: true,
			ManyPerDay: d.opt.ManyPerDay, From: now.AddDate(0, -3, 0), Limit: 1000})
		if err != nil {
			return err
		}
		v.Unreviewed = len(flagged)
		reqs, err := d.db.OutsideRequests(ctx, s.Agency)
		if err != nil {
			return err
		}
		for _, q := range reqs {
			if q.Decision == "" {
				v.Requests++
			}
		}
	}
	return d.render(w, r, "home", "Desk", s, v)
}

// cameraNames are the car's cameras, each inspected quarterly.
func cameraNames() []string {
	out := make([]string, len(alpr.Cameras))
	for i, c := range alpr.Cameras {
		out[i] = string(c)
	}
	return out
}
