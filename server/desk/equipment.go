package desk

import (
	"net/http"

	"patrol-alpr/server/postgres"
)

// equipmentView is the equipment page: the quarterly inspections (III.B.1.a) and the damage
// reports from the cars (III.C.4).
type equipmentView struct {
	Inspections []postgres.CameraInspection
	Overdue     int
	Reports     []postgres.EquipmentReport
}

func (d *Desk) equipmentPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	ins, err := d.db.Inspections(r.Context(), s.Agency, cameraNames())
	if err != nil {
		return err
	}
	reports, err := d.db.EquipmentReports(r.Context(), s.Agency)
	if err != nil {
		return err
	}
	v := equipmentView{Inspections: ins, Reports: reports}
	for _, c := range ins {
		if c.Overdue(d.opt.Now()) {
			v.Overdue++
		}
	}
	return d.render(w, r, "equipment", "Equipment", s, v)
}

func (d *Desk) equipmentInspect(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	if err := d.db.RecordInspection(r.Context(), s.Agency, trimmed(r, "vehicle"), trimmed(r, "camera"),
		trimmed(r, "result"), trimmed(r, "note"), s.User); err != nil {
		return err
	}
	redirect(w, r, "/equipment", "inspected")
	return nil
}

func (d *Desk) equipmentClose(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	if err := d.db.CloseEquipmentReport(r.Context(), s.Agency, trimmed(r, "report"), trimmed(r, "action"), s.User); err != nil {
		return err
	}
	redirect(w, r, "/equipment", "closed")
	return nil
}
