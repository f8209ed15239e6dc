package desk

import (
	"net/http"
	"strconv"

	"patrol-alpr/server/postgres"
)

func (d *Desk) listsPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	lists, err := d.db.DeskLists(r.Context(), s.Agency)
	if err != nil {
		return err
	}
	return d.render(w, r, "lists", "Hot lists", s, lists)
}

// listsApprove approves a special list's version for the cars (IV.C.2).
func (d *Desk) listsApprove(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		return userError{"Which version of the list? The form did not say."}
	}
	if err := d.db.ApproveList(r.Context(), s.Agency, r.PostFormValue("name"), version, s.User); err != nil {
		return err
	}
	redirect(w, r, "/lists", "approved")
	return nil
}

// listsShare approves a departmental list for sharing with the network's agencies (IV.C.6).
func (d *Desk) listsShare(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	if err := d.db.ApproveListSharing(r.Context(), s.Agency, r.PostFormValue("name"), s.User); err != nil {
		return err
	}
	redirect(w, r, "/lists", "shared")
	return nil
}
