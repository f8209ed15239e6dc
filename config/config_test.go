package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{
			name: "full file",
			file: `{"vehicle_number":"2317","cameras":{"Cam-1":"device:0"},
			        "gps":{"serial":"/dev/ttyUSB0","baud":9600},
			        "hot_lists":[{"name":"SVS","url":"http://x/svs.txt","format":"cadoj","kind":"general","tolerance":"look-alike"}],
			        "hot_list_refresh":"6h","idle_lock":"5m"}`,
			check: func(t *testing.T, c Config) {
				if c.VehicleNumber != "2317" || c.GPS.Baud != 9600 || c.HotListRefresh.Duration != 6*time.Hour || c.IdleLock.Duration != 5*time.Minute {
					t.Errorf("got %+v", c)
				}
				if c.Classroom {
					t.Error("a configured car must not be in classroom mode")
				}
			},
		},
		{
			name: "defaults",
			file: `{}`,
			check: func(t *testing.T, c Config) {
				if c.GPS.Baud != 4800 || c.HotListRefresh.Duration != 12*time.Hour || c.DataDir == "" {
					t.Errorf("defaults not applied: %+v", c)
				}
			},
		},
		{
			name: "ignore zones",
			file: `{"cameras":{"Cam-2":"device:1"},"ignore_zones":{"Cam-2":["0,0,0.4,0.08","0.8,0.9,1,1"]}}`,
			check: func(t *testing.T, c Config) {
				z, err := c.Zones()
				if err != nil {
					t.Fatal(err)
				}
				if want := (alpr.Zone{X0: 0.8, Y0: 0.9, X1: 1, Y1: 1}); len(z[alpr.Cam2]) != 2 || z[alpr.Cam2][1] != want || len(z[alpr.Cam1]) != 0 {
					t.Errorf("Zones() = %v, want two on Cam-2 ending with %v", z, want)
				}
			},
		},
		{name: "ignore zone on no pane", file: `{"ignore_zones":{"Cam-9":["0,0,1,1"]}}`, wantErr: `ignore_zones.Cam-9: camera pane "Cam-9"`},
		{name: "ignore zone unreadable", file: `{"ignore_zones":{"Cam-1":["0,0,640,40"]}}`, wantErr: `ignore_zones.Cam-1[0]: zone "0,0,640,40": "640" is not a fraction`},
		{name: "refresh over a day", file: `{"hot_list_refresh":"36h"}`, wantErr: "at least once a day"},
		{
			name: "pass window",
			file: `{"pass_window":"6s"}`,
			check: func(t *testing.T, c Config) {
				if c.PassWindow.Duration != 6*time.Second {
					t.Errorf("pass window %s, want 6s", c.PassWindow.Duration)
				}
			},
		},
		{name: "pass window too short", file: `{"pass_window":"100ms"}`, wantErr: "pass_window: 100ms: want 0.5s to 30s"},
		{name: "pass window too long", file: `{"pass_window":"2m"}`, wantErr: "pass_window: 2m0s: want 0.5s to 30s"},
		{name: "unknown pane", file: `{"cameras":{"Cam-4":"device:0"}}`, wantErr: `cameras.Cam-4: camera pane "Cam-4"`},
		{name: "unknown field", file: `{"camera":{}}`, wantErr: "unknown field"},
		{name: "bad format", file: `{"hot_lists":[{"name":"A","url":"u","format":"xml","kind":"general"}]}`, wantErr: `hot_lists[0] (A).format: "xml"`},
		{name: "duplicate list", file: `{"hot_lists":[{"name":"A","url":"u","format":"csv","kind":"general"},{"name":"A","url":"v","format":"csv","kind":"special"}]}`, wantErr: "named twice"},
		{name: "not json", file: `cameras = 1`, wantErr: "line 1 col 2"},
		{name: "bad duration", file: `{"idle_lock":"soon"}`, wantErr: "parse config"},
		{name: "wrong type, with its line", file: "{\n  \"vehicle_number\": \"2317\",\n  \"gps\": {\"baud\": \"9600\"}\n}", wantErr: "line 3 col 25: gps.baud: want int, not a JSON string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.json")
			if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load() error = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(): %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadMissingFileMeansClassroom(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.json"))
	if !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("Load(missing) = %v, want ErrNotConfigured", err)
	}
	c := Classroom(t.TempDir())
	if !c.Classroom || len(c.Cameras) != 3 {
		t.Fatalf("Classroom() = %+v, want three synthetic cameras in classroom mode", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("classroom config invalid: %v", err)
	}
}

// TestValidateReportsEveryProblem: a file with several mistakes gets them all back at once,
// each named by its place in the file, so the set-up is mended in one pass.
func TestValidateReportsEveryProblem(t *testing.T) {
	c := Config{
		Cameras:        map[string]string{"Cam-4": "device:0", "Cam-1": "device:1"},
		HotListRefresh: Duration{36 * time.Hour},
		HotLists: []HotListSource{
			{Name: "SVS", URL: "http://x/svs", Format: "cadoj", Kind: "general"},
			{Name: "GANG", URL: "", Format: "xml", Kind: "departmental"},
		},
	}
	err := c.Validate()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Validate: %v, want Problems", err)
	}
	want := []string{"hot_list_refresh", "cameras.Cam-4", "hot_lists[1] (GANG).url", "hot_lists[1] (GANG).format", "hot_lists[1] (GANG).kind"}
	var got []string
	for _, p := range ps {
		got = append(got, p.Place)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("places %q, want %q", got, want)
	}
}

// TestValidatePolicySettings: the settings of issue 22's point 8 are checked where they are.
func TestValidatePolicySettings(t *testing.T) {
	cases := []struct {
		name string
		c    Config
		want string // a Problem's place; "" for none
	}{
		{"share approval on a departmental list", Config{HotLists: []HotListSource{{Name: "G", URL: "g.csv", Format: "csv", Kind: "special", Departmental: true, ShareApproved: true}}}, ""},
		{"share approval on a general list", Config{HotLists: []HotListSource{{Name: "S", URL: "s.txt", Format: "cadoj", Kind: "general", ShareApproved: true}}}, "hot_lists[0] (S).share_approved"},
		{"columns on a CSV list", Config{HotLists: []HotListSource{{Name: "G", URL: "g.csv", Format: "csv", Kind: "special", Columns: map[string]string{"plate": "LIC"}}}}, ""},
		{"columns on an NCIC list", Config{HotLists: []HotListSource{{Name: "N", URL: "n.txt", Format: "ncic", Kind: "general", Columns: map[string]string{"plate": "LIC"}}}}, "hot_lists[0] (N).columns"},
		{"replay in a loop", Config{GPS: GPS{Replay: "drive.nmea", ReplayLoop: true, ReplaySpeed: 4}}, ""},
		{"loop without a replay", Config{GPS: GPS{Serial: "/dev/ttyUSB0", ReplayLoop: true}}, "gps.replay_loop"},
		{"two GPS sources", Config{GPS: GPS{Serial: "/dev/ttyUSB0", Replay: "drive.nmea"}}, "gps"},
		{"replay too fast", Config{GPS: GPS{Replay: "drive.nmea", ReplaySpeed: 1000}}, "gps.replay_speed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.c.Validate()
			var ps Problems
			errors.As(err, &ps)
			if c.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v, want none", err)
				}
				return
			}
			if len(ps) != 1 || ps[0].Place != c.want {
				t.Fatalf("Validate: %v, want one problem at %s", err, c.want)
			}
		})
	}
}
