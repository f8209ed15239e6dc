package desk

import (
	"net/http"
	"strings"
	"time"

	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// searchView is the investigator's search form, and the results of a search.
type searchView struct {
	Plate, State, From, To, Purpose, Case string
	Searched                              []string
	Results                               []wire.SearchResult
	Done                                  bool
	Max                                   int
	SearchID                              string // the search as filed in the query audit
}

func (d *Desk) searchPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	now := d.opt.Now().UTC()
	return d.render(w, r, "search", "Search detections", s, searchView{
		From: now.AddDate(0, 0, -30).Format(time.DateOnly), To: now.Format(time.DateOnly)})
}

// search searches the agency's detections and those of the agencies that share with it
// (IV.B.1), with the car's rules: a purpose and a case number, audited at every agency whose
// detections it returns. The results are the answer to the post, not a page to come back to:
// seeing them again is a new search, audited again.
func (d *Desk) search(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	v := searchView{Plate: trimmed(r, "plate"), State: strings.ToUpper(trimmed(r, "state")), From: trimmed(r, "from"), To: trimmed(r, "to"),
		Purpose: trimmed(r, "purpose"), Case: trimmed(r, "case"), Done: true, Max: postgres.SearchMax}
	from, err := formDate(v.From)
	if err != nil {
		return err
	}
	to, err := formDate(v.To)
	if err != nil {
		return err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	reply, err := d.db.SearchNetwork(r.Context(), s.Agency, "", wire.SearchRequest{Operator: s.User, Purpose: v.Purpose,
		CaseNumber: v.Case, Plate: v.Plate, State: v.State, From: from, To: to})
	if err != nil {
		return err
	}
	v.Results, v.Searched = reply.Results, reply.Searched
	if v.SearchID, err = d.db.LatestSearch(r.Context(), s.Agency, s.Agency+"/"+s.User, v.Case); err != nil {
		d.log.Warn("desk: find the search just filed", "err", err)
	}
	return d.render(w, r, "search", "Search "+v.Plate, s, v)
}
