package httpapi

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"patrol-alpr/server/pki"
	"patrol-alpr/wire"
)

// listIndex names the agency's current lists with their versions and hashes, so a car
// downloads only what changed (IV.C.1-2).
func (s *Server) listIndex(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	lists, err := s.store.Lists(r.Context(), id.Agency)
	if err != nil {
		s.log.Error("list index", "agency", id.Agency, "err", err)
		status, msg := statusOf(err)
		problem(w, status, msg)
		return
	}
	if lists == nil {
		lists = []wire.ListInfo{}
	}
	writeJSON(w, wire.ListIndex{Agency: id.Agency, Lists: lists})
}

// listFile serves one list's current file. Its ETag is its SHA-256, so If-None-Match answers
// 304 for a list the car holds, and Range resumes a download cut off part way.
func (s *Server) listFile(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	info, body, err := s.store.ListFile(r.Context(), id.Agency, r.PathValue("name"))
	if err != nil {
		status, msg := statusOf(err)
		if status >= 500 {
			s.log.Error("list file", "agency", id.Agency, "list", r.PathValue("name"), "err", err)
		}
		problem(w, status, msg)
		return
	}
	w.Header().Set("ETag", `"`+info.SHA256+`"`)
	w.Header().Set("X-List-Version", strconv.FormatInt(info.Version, 10))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, info.Name, info.ImportedAt, bytes.NewReader(body))
}

// roster sends the agency's operators to a car at sign-in and shift start (III.C.1-2).
func (s *Server) roster(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	ops, err := s.store.CarRoster(r.Context(), id.Agency)
	if err != nil {
		s.log.Error("roster", "agency", id.Agency, "err", err)
		status, msg := statusOf(err)
		problem(w, status, msg)
		return
	}
	if ops == nil {
		ops = []wire.RosterEntry{}
	}
	writeJSON(w, wire.Roster{Agency: id.Agency, At: time.Now().UTC(), Operators: ops})
}
