package car

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/engine"
	"patrol-alpr/learn"
	"patrol-alpr/wire"
)

// connectServer sets the car up to talk to the agency server, when one is configured: the
// sync of the outbox, the events stream of network hits, position reports, and the local
// copies of the server's hot lists. The classroom talks to no server.
func (s *system) connectServer() error {
	s.syncer = &learn.Syncer{Outbox: s.db, Vehicle: s.vehicleNumber, WarnBacklog: s.cfg.OutboxWarn}
	if s.cfg.ServerURL == "" || s.cfg.Classroom {
		return nil
	}
	client := learn.Client{BaseURL: s.cfg.ServerURL}
	if s.cfg.ServerBundle != "" {
		tlsConfig, err := learn.LoadBundle(s.cfg.ServerBundle)
		if err != nil {
			return fmt.Errorf("server_bundle: %w", err)
		}
		client = learn.NewClient(s.cfg.ServerURL, tlsConfig)
	}
	s.server = &client
	s.syncer.Sender = client
	s.events = &learn.EventStream{Client: client, OnNetworkHit: s.networkHit}
	return nil
}

// serverLists is where the server's hot lists are kept on the car.
func serverLists(dataDir string, c learn.Client) *learn.ListFetcher {
	return &learn.ListFetcher{Client: c, Dir: filepath.Join(dataDir, "server-lists")}
}

// learnLight is the LEARN light (III.C.6): green when the server holds everything, amber
// while the car catches up, red with the reason after two minutes without success.
func (s *system) learnLight(time.Time) (engine.Level, string) {
	h := s.syncer.Health()
	reason := h.Reason
	if s.events != nil {
		if ok, err := s.events.Connected(); !ok && err != nil && h.State == learn.Synced {
			return engine.Amber, reason + "; network hits not connected: " + err.Error()
		}
	}
	return levelOf(h), reason
}

// levelOf is the light's colour for a sync state.
func levelOf(h learn.Health) engine.Level {
	switch h.State {
	case learn.Synced:
		return engine.Green
	case learn.CatchingUp:
		return engine.Amber
	}
	return engine.Red
}

// networkHit shows a hit found at the server like the car's own, saying what it is.
func (s *system) networkHit(_ int64, nh wire.NetworkHit) {
	if s.alerter == nil {
		s.log.Error("network hit before the screen is attached", "plate", nh.Detection.Plate)
		return
	}
	d := nh.Detection
	d.ID, d.PlateJPEG = 0, nh.PlateJPEG
	h := alpr.Hit{UUID: nh.ID, DetectionUUID: d.UUID, Match: nh.Match, Network: &alpr.NetworkSighting{
		Agency: nh.DetectingAgency, Vehicle: nh.DetectingVehicle, Fixed: nh.Fixed, Camera: d.Camera,
		SeenAt: d.SeenAt, Fix: d.Fix, DistanceKm: nh.DistanceKm}}
	// Distance and direction from where the car is now, when it knows.
	if s.gps != nil && d.Fix.Valid() {
		if here, _ := s.gps.Current(); here.Valid() {
			h.Network.DistanceKm, h.Network.Bearing = alpr.DistanceBearing(here, d.Fix)
		}
	}
	s.alerter.RaiseNetwork(context.Background(), h, d)
}

// reportPosition tells the server where the car is every half minute while it has a fix,
// so network hits near it reach it.
func (s *system) reportPosition(ctx context.Context) error {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if s.gps == nil || s.server == nil {
			continue
		}
		fix, at := s.gps.Current()
		if !fix.Valid() || time.Since(at) > time.Minute {
			continue
		}
		if err := postPosition(ctx, *s.server, wire.Position{Lat: fix.Lat, Lon: fix.Lon, At: fix.Time}); err != nil {
			s.log.Debug("position report", "err", err)
		}
	}
}

func postPosition(ctx context.Context, c learn.Client, p wire.Position) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+wire.PositionPath, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("report position: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("report position: %s", resp.Status)
	}
	return nil
}
