package car

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/classroom"
	"patrol-alpr/config"
)

// TestHotListConfigurationThePolicyNeeds: a CSV list whose headers are the agency's own is
// read through its column mapping, its share approval (IV.C.6) reaches the list, and the
// check names a mapping to no field, columns on a non-CSV list and an approval on a list that
// is not departmental.
func TestHotListConfigurationThePolicyNeeds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "gang.csv")
	if err := os.WriteFile(csvPath, []byte("LIC_NO,LIC_ST,WHY\n7GNG001,CA,gang member\n7GNG002,NV,gang member\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{DataDir: filepath.Join(dir, "data"), HotLists: []config.HotListSource{{
		Name: "GANG", URL: csvPath, Format: "csv", Kind: "special", Departmental: true, ShareApproved: true,
		Columns: map[string]string{"plate": "LIC_NO", "state": "LIC_ST", "reason": "WHY"},
	}}}
	if err := CheckConfig(cfg); err != nil {
		t.Fatalf("a good list: %v", err)
	}
	sys, err := newSystem(ctx, withDefaults(t, cfg), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	if _, err := sys.lists.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	st := sys.lists.StatusOf("GANG")
	if st.List.Entries != 2 || !st.List.ShareApproved {
		t.Errorf("GANG list %+v (%v), want 2 entries read through the mapping, share approved", st.List, st.Err)
	}

	bad := cfg
	bad.HotLists = []config.HotListSource{
		{Name: "GANG", URL: csvPath, Format: "csv", Kind: "special", Columns: map[string]string{"licence": "LIC_NO"}, ShareApproved: true},
		{Name: "SVS", URL: "svs.txt", Format: "cadoj", Kind: "general", Columns: map[string]string{"plate": "P"}},
	}
	err = CheckConfig(bad)
	for _, want := range []string{"hot_lists[0] (GANG).share_approved", "hot_lists[0] (GANG).columns.licence: not a field", "hot_lists[1] (SVS).columns: column names apply to csv lists only"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check: %v, want it to name %q", err, want)
		}
	}
}

// TestClassroomReplaysARecordedDriveInALoop: a classroom configured with an NMEA recording
// plays it again and again (the GPS light stays green long after the recording's minute,
// here played 60 times faster), and the trainer's "GPS loses its fix" silences it until the
// outage ends.
func TestClassroomReplaysARecordedDriveInALoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	nmea, err := filepath.Abs("../gps/testdata/stockton.nmea")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Classroom(t.TempDir())
	cfg.GPS = config.GPS{Replay: nmea, ReplaySpeed: 60}
	if err := CheckConfig(cfg); err != nil {
		t.Fatal(err)
	}
	sys, err := newSystem(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	sys.class.Outage = 4 * time.Second
	if sys.route != nil || sys.fixGate == nil {
		t.Fatal("the classroom drives its simulated route, not the recording")
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = sys.gps.Run(runCtx) }()
	defer func() { stop(); <-done }()

	waitGPS := func(what string, want bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			ok, why := sys.gpsStatus(time.Now())
			if ok == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("waited 20 s for %s; GPS %v: %s", what, ok, why)
			}
		}
	}
	waitGPS("a fix from the recording", true)
	time.Sleep(3 * time.Second) // the minute-long recording has ended and started again by now
	waitGPS("the fix to stay while the recording loops", true)
	if sys.gps.Stats().Reopens == 0 {
		t.Error("the recording was never started again")
	}
	if err := sys.class.Trigger(ctx, classroom.ScenarioGPSLost); err != nil {
		t.Fatal(err)
	}
	waitGPS("the fix to be lost", false)
	waitGPS("the fix to come back after the outage", true)
}

// withDefaults gives a hand-built configuration the defaults a file would get.
func withDefaults(t *testing.T, cfg config.Config) config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "car.json")
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
