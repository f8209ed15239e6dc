package car

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadConfigClassroomOnlyWhenNothingIsConfigured: a configuration file the user named
// and that is missing or unreadable is an error; only the default path being empty (or
// -classroom) starts the classroom.
func TestLoadConfigClassroomOnlyWhenNothingIsConfigured(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "car.json")
	if err := os.WriteFile(good, []byte(`{"vehicle_number": "2317", "data_dir": "`+filepath.Join(dir, "data")+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"vehicle_number": 2317}`), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "car.jsno")
	cases := []struct {
		name      string
		path      string
		named     bool
		classroom bool
		dataDir   string
		wantErr   string // part of the error; "" for none
		wantClass bool
		wantData  string
	}{
		{name: "named file missing", path: missing, named: true, wantErr: "car.jsno not found"},
		{name: "named file unreadable", path: dir, named: true, wantErr: dir},
		{name: "named file invalid", path: bad, named: true, wantErr: "bad.json"},
		{name: "default path empty", path: missing, wantClass: true},
		{name: "classroom asked for", path: good, named: true, classroom: true, dataDir: dir, wantClass: true, wantData: dir},
		{name: "configured car", path: good, named: true, wantData: filepath.Join(dir, "data")},
		{name: "data folder moved", path: good, named: true, dataDir: dir, wantData: dir},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			cfg, err := LoadConfig(c.path, c.named, c.classroom, c.dataDir)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Classroom != c.wantClass {
				t.Errorf("classroom = %v, want %v", cfg.Classroom, c.wantClass)
			}
			if c.wantData != "" && cfg.DataDir != c.wantData {
				t.Errorf("data folder %s, want %s", cfg.DataDir, c.wantData)
			}
		})
	}
}
