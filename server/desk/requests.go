package desk

import (
	"net/http"

	"patrol-alpr/server/postgres"
)

// requestsPage lists requests for the agency's data from agencies outside the network
// (IV.B.2), each answered only after the administrator approves or refuses it with a reason.
func (d *Desk) requestsPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	reqs, err := d.db.OutsideRequests(r.Context(), s.Agency)
	if err != nil {
		return err
	}
	return d.render(w, r, "requests", "Outside requests", s, reqs)
}

func (d *Desk) requestsDecide(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	decision := r.PostFormValue("decision")
	if decision != "approve" && decision != "refuse" {
		return userError{"Approve or refuse the request."}
	}
	if err := d.db.DecideOutsideRequest(r.Context(), s.Agency, trimmed(r, "request"), decision == "approve",
		trimmed(r, "reason"), s.User); err != nil {
		return err
	}
	redirect(w, r, "/requests", "decided")
	return nil
}
