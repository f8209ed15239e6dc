package httpapi

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"time"

	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// sync files one batch: the keys named in the reply are committed; a refusal stores nothing.
func (s *Server) sync(w http.ResponseWriter, r *http.Request, id pki.Identity) {
	start := time.Now()
	status := s.syncStatus(w, r, id)
	s.metrics.batch(status, time.Since(start))
}

func (s *Server) syncStatus(w http.ResponseWriter, r *http.Request, id pki.Identity) int {
	if r.ContentLength > wire.MaxBodyBytes {
		problem(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("batch of %d bytes; at most %d", r.ContentLength, wire.MaxBodyBytes))
		return http.StatusRequestEntityTooLarge
	}
	if !s.acquire(r.Context()) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.retry.Seconds())))
		problem(w, http.StatusServiceUnavailable, "server busy; retry later")
		return http.StatusServiceUnavailable
	}
	defer s.release()
	body := http.MaxBytesReader(w, r.Body, wire.MaxBodyBytes)
	decode := wire.DecodeBatch
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == wire.BatchContentType {
		decode = wire.DecodeFramedBatch
	}
	b, err := decode(body)
	if err != nil {
		if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) || errors.Is(err, wire.ErrTooLarge) {
			problem(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("batch over %d bytes", wire.MaxBodyBytes))
			return http.StatusRequestEntityTooLarge
		}
		problem(w, http.StatusBadRequest, err.Error())
		return http.StatusBadRequest
	}
	if b.Vehicle != id.Vehicle {
		s.log.Warn("batch for another vehicle", "agency", id.Agency, "certificate", id.Vehicle, "batch", b.Vehicle)
		problem(w, http.StatusForbidden, fmt.Sprintf("this certificate is vehicle %s's, not %s's", id.Vehicle, b.Vehicle))
		return http.StatusForbidden
	}
	reply, seen, err := s.file(r.Context(), id.Agency, b)
	if err != nil {
		status, msg := statusOf(err)
		if status >= 500 {
			s.log.Error("ingest", "agency", id.Agency, "vehicle", id.Vehicle, "items", len(b.Items), "err", err)
		} else {
			s.log.Warn("batch refused", "agency", id.Agency, "vehicle", id.Vehicle, "status", status, "err", err)
		}
		if status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", strconv.Itoa(int(s.retry.Seconds())))
		}
		problem(w, status, msg)
		return status
	}
	s.metrics.ingested(id.Vehicle, b)
	if s.seen != nil {
		// The batch is committed: matching must not be cancelled with this request.
		s.seen.Sighted(context.WithoutCancel(r.Context()), seen)
	}
	writeJSON(w, reply)
	return http.StatusOK
}

// file waits for a turn in the database (Options.Filers) and files the batch.
func (s *Server) file(ctx context.Context, agency string, b wire.Batch) (wire.Reply, []postgres.Sighting, error) {
	select {
	case s.filing <- struct{}{}:
	case <-ctx.Done():
		return wire.Reply{}, nil, ctx.Err()
	}
	defer func() { <-s.filing }()
	return s.store.Ingest(ctx, agency, b)
}

// acquire takes a filing slot, waiting a little; false means the server is busy.
func (s *Server) acquire(ctx context.Context) bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (s *Server) release() { <-s.slots }

// statusOf chooses the status for a store error and the sentence the car shows.
func statusOf(err error) (int, string) {
	switch {
	case errors.Is(err, postgres.ErrInvalid):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, postgres.ErrUnknownOperator):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, postgres.ErrRevoked):
		return http.StatusForbidden, "certificate revoked"
	case errors.Is(err, postgres.ErrUnknownVehicle):
		return http.StatusForbidden, "certificate not registered for this vehicle"
	case errors.Is(err, postgres.ErrNotShared):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, postgres.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "server busy; retry later"
	}
	return http.StatusInternalServerError, "server error; the batch was not stored"
}
