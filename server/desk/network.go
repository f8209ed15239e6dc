package desk

import (
	"net/http"

	"patrol-alpr/server/postgres"
)

// networkPage shows the network hits on the agency's detections and on its lists, each with
// the receiving officer's disposition, so the agency that saw the plate learns what came of it.
func (d *Desk) networkPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	hits, err := d.db.NetworkHitOutcomes(r.Context(), s.Agency, 200)
	if err != nil {
		return err
	}
	return d.render(w, r, "network", "Network hits", s, hits)
}
