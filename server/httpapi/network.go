package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// eventStream sends a car its events as Server-Sent Events: first those stored after the
// car's Last-Event-ID within the replay window (a car back from a dead zone gets what it
// missed while it still matters), then each new one as it is stored.
func (s *Server) eventStream(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	if s.events == nil {
		problem(w, http.StatusNotFound, "this server sends no events")
		return
	}
	if id.Kind != pki.KindCar {
		problem(w, http.StatusForbidden, "events are for cars")
		return
	}
	last := int64(0)
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			problem(w, http.StatusBadRequest, "Last-Event-ID is not an event id")
			return
		}
		last = n
	}
	// Subscribe before reading the stored events, so that none falls between the two.
	live, cancel := s.events.Subscribe(id.Agency, id.Vehicle)
	defer cancel()
	missed, err := s.store.EventsAfter(r.Context(), id.Agency, id.Vehicle, last, wire.ReplayWindow)
	if err != nil {
		s.log.Error("events: replay", "vehicle", id.Vehicle, "err", err)
		status, msg := statusOf(err)
		problem(w, status, msg)
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	send := func(e postgres.Event) error {
		if e.ID <= last {
			return nil
		}
		last = e.ID
		if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.ID, e.Kind, e.Payload); err != nil {
			return err
		}
		return rc.Flush()
	}
	for _, e := range missed {
		if send(e) != nil {
			return
		}
	}
	if rc.Flush() != nil {
		return
	}
	alive := time.NewTicker(s.alive)
	defer alive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-live:
			if !ok { // fell behind: the car reconnects and replays
				return
			}
			if send(e) != nil {
				return
			}
		case <-alive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// position records where a car is, for the radius of network hits.
func (s *Server) position(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	var p wire.Position
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&p); err != nil {
		problem(w, http.StatusBadRequest, "position: "+err.Error())
		return
	}
	if err := s.store.SetPosition(r.Context(), id.Agency, id.Vehicle, p); err != nil {
		status, msg := statusOf(err)
		problem(w, status, msg)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// search searches the network's shared detections (IV.B.1), audited at every agency whose
// detections it returns.
func (s *Server) search(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	var q wire.SearchRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		problem(w, http.StatusBadRequest, "search: "+err.Error())
		return
	}
	reply, err := s.store.SearchNetwork(r.Context(), id.Agency, id.Vehicle, q)
	if err != nil {
		status, msg := statusOf(err)
		if status >= 500 {
			s.log.Error("search", "agency", id.Agency, "err", err)
		}
		problem(w, status, msg)
		return
	}
	writeJSON(w, reply)
}

// shiftCheck answers a car's shift check (III.C.7) with the detections the server holds of
// the operator's shift.
func (s *Server) shiftCheck(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	op := r.URL.Query().Get("operator")
	from, err := time.Parse(time.RFC3339Nano, r.URL.Query().Get("from"))
	if op == "" || err != nil {
		problem(w, http.StatusBadRequest, "shift check: operator and from (RFC 3339) are required")
		return
	}
	uuids, err := s.store.ShiftDetections(r.Context(), id.Agency, id.Vehicle, op, from)
	if err != nil {
		status, msg := statusOf(err)
		problem(w, status, msg)
		return
	}
	if uuids == nil {
		uuids = []string{}
	}
	writeJSON(w, wire.ShiftCheck{Vehicle: id.Vehicle, Operator: op, From: from, Detections: uuids})
}
