// Package config reads the car's configuration file: which cameras feed which pane, where the
// GPS is, which hot lists to download, where data lives. With no file, the app starts in
// classroom mode (Classroom), so a newcomer sees a working system with nothing configured.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// Config is everything the car needs to run.
type Config struct {
	// Classroom selects training mode: synthetic cameras, simulated GPS, a training hot list
	// and its own database file (policy III.B.1.b, III.C.1–2).
	Classroom bool `json:"classroom"`
	// VehicleNumber is the car's unit number, documented with every hit (III.E.1). Empty: asked at login.
	VehicleNumber string `json:"vehicle_number"`
	// DataDir holds the SQLite store, the last good hot-list files and evidence exports.
	DataDir string `json:"data_dir"`
	// Cameras maps pane to source: "device:0", "device:/dev/video2", "file:/path.mp4",
	// "url:rtsp://...", "folder:/dir", "synthetic:seed=1".
	Cameras map[string]string `json:"cameras"`
	// IgnoreZones maps pane to the parts of its view where reads are ignored, each
	// "x0,y0,x1,y1" in fractions of the frame: a clock burned into the picture, the car's
	// own push bar. The pane shows them shaded.
	IgnoreZones map[string][]string `json:"ignore_zones"`
	GPS         GPS                 `json:"gps"`
	// HotLists are the General and Special lists downloaded at shift start and daily (IV.C.1–2).
	HotLists []HotListSource `json:"hot_lists"`
	// HotListRefresh is how often lists are downloaded again; at most 24 h (IV.C.1).
	HotListRefresh Duration `json:"hot_list_refresh"`
	// RematchWindow is how far back reads are matched again when a list changes.
	RematchWindow Duration `json:"rematch_window"`
	// IdleLock locks the screen after this long without input.
	IdleLock Duration `json:"idle_lock"`
	// ServerURL is the agency (LEARN) server detections sync to; empty: none (LEARN light red).
	ServerURL string `json:"server_url"`
	// ServerBundle is the folder with the car's certificate bundle from the agency server
	// (car.key, car.crt, ca.crt, written by `patrol-alpr-server car add`): the car presents
	// it on TLS 1.3 and trusts only that CA. Required with an https server_url.
	ServerBundle string `json:"server_bundle"`
	// OutboxWarn is how many items may wait for the server before the LEARN light warns
	// (default 20,000: about a shift and a half of busy traffic).
	OutboxWarn int64 `json:"outbox_warn"`
	// PassWindow is how long a plate may go unseen before its vehicle's pass is over and
	// saved as one detection (default ocr.DefaultWindow, 4 s; 0.5 s to 30 s): longer joins a
	// vehicle hidden behind another for a while into one pass, shorter saves passes sooner.
	PassWindow Duration `json:"pass_window"`
	// ModelDir holds the recognizer's model and plate layouts (ocr.ModelFile, ocr.LayoutFile);
	// empty: the ones built into assets/.
	ModelDir string `json:"model_dir"`
}

// GPS says where NMEA sentences come from: a serial port, a UDP listener, or a replay file.
type GPS struct {
	Serial string `json:"serial"` // e.g. /dev/ttyUSB0
	Baud   int    `json:"baud"`   // 4800 or 9600 usually
	UDP    string `json:"udp"`    // listen address, e.g. ":10110"
	Replay string `json:"replay"` // NMEA file replayed in real time
	// ReplayLoop starts the replay again at its end, so a recorded drive runs all day in
	// the classroom (or on a bench) instead of ending after its few minutes.
	ReplayLoop bool `json:"replay_loop"`
	// ReplaySpeed plays the recording this many times faster than it was driven; 0 is 1.
	ReplaySpeed float64 `json:"replay_speed"`
}

// HotListSource is one list to download.
type HotListSource struct {
	Name          string `json:"name"`
	URL           string `json:"url"`    // http(s):// or a file path
	Format        string `json:"format"` // ncic, cadoj, csv, plate-state
	Kind          string `json:"kind"`   // general or special
	Priority      int    `json:"priority"`
	Tolerance     string `json:"tolerance"` // exact, look-alike, look-alike-or-indel
	Informational bool   `json:"informational"`
	Covert        bool   `json:"covert"`
	Departmental  bool   `json:"departmental"`
	// ShareApproved records that the ALPR Administrator approved sharing this departmental
	// list with outside agencies (policy IV.C.6); without it a departmental list is never
	// shared. Only departmental lists take it.
	ShareApproved bool `json:"share_approved"`
	// Columns maps a field ("plate", "state", "expires at", ... as hotlist.CSVFields) to
	// the header of the CSV column that holds it, for a CSV list whose headers are not the
	// usual names: {"plate": "LIC_NO", "state": "LIC_ST"}. CSV lists only.
	Columns map[string]string `json:"columns"`
}

// Duration is a time.Duration written as "90s", "24h" in the file.
type Duration struct{ time.Duration }

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"24h\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.Duration.String()) }

// DefaultPath is where the configuration lives when no -config flag names one.
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "patrol-alpr.json"
	}
	return filepath.Join(dir, "patrol-alpr", "config.json")
}

// Classroom returns the configuration used when nothing is configured: training mode with
// three synthetic feeds, a simulated GPS route and its own data folder.
func Classroom(dataDir string) Config {
	c := Config{
		Classroom: true,
		DataDir:   dataDir,
		Cameras: map[string]string{
			"Cam-1": "synthetic:seed=1",
			"Cam-2": "synthetic:seed=2",
			"Cam-3": "synthetic:seed=3,night",
		},
		VehicleNumber: "TRAINING-1",
	}
	c.applyDefaults()
	return c
}

// ErrNotConfigured means there is no configuration file: the caller falls back to classroom mode.
var ErrNotConfigured = errors.New("no configuration file")

// Load reads and checks the configuration at path.
func Load(path string) (Config, error) {
	c, err := LoadUnchecked(path)
	if err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// LoadUnchecked reads the configuration at path and fills in defaults without Validate, for
// a checker that reports every problem of a file the car would refuse.
func LoadUnchecked(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf("read config %s: %w", path, ErrNotConfigured)
	}
	if err != nil {
		return Config{}, fmt.Errorf("read config %s: %w", path, err)
	}
	var c Config
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("parse config %s: %w", path, placed(b, err))
	}
	c.applyDefaults()
	return c, nil
}

func (c *Config) applyDefaults() {
	if c.DataDir == "" {
		if dir, err := os.UserHomeDir(); err == nil {
			c.DataDir = filepath.Join(dir, ".local", "share", "patrol-alpr")
		} else {
			c.DataDir = "patrol-alpr-data"
		}
	}
	if c.HotListRefresh.Duration == 0 {
		c.HotListRefresh.Duration = 12 * time.Hour
	}
	if c.RematchWindow.Duration == 0 {
		c.RematchWindow.Duration = 6 * time.Hour
	}
	if c.IdleLock.Duration == 0 {
		c.IdleLock.Duration = 15 * time.Minute
	}
	if c.GPS.Baud == 0 {
		c.GPS.Baud = 4800
	}
}

// Problem is one setting that cannot work, named by its place in the file
// (`hot_lists[1].format`, `cameras.Cam-4`) so the person editing it finds it.
type Problem struct {
	Place string
	Msg   string
}

func (p Problem) Error() string { return p.Place + ": " + p.Msg }

// Problems is every problem found in one file, in the file's order; Validate returns them
// all at once so a set-up is mended in one pass, not one error per start.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "; ")
}

// Validate reports every setting that cannot work (a Problems), or nil.
func (c Config) Validate() error {
	var ps Problems
	add := func(place, format string, args ...any) {
		ps = append(ps, Problem{Place: place, Msg: fmt.Sprintf(format, args...)})
	}
	if w := c.PassWindow.Duration; w != 0 && (w < 500*time.Millisecond || w > 30*time.Second) {
		add("pass_window", "%s: want 0.5s to 30s (a plate unseen this long ends its vehicle's pass)", w)
	}
	if c.HotListRefresh.Duration > 24*time.Hour {
		add("hot_list_refresh", "%s: lists must be downloaded at least once a day (policy IV.C.1)", c.HotListRefresh.Duration)
	}
	for _, pane := range sortedKeys(c.Cameras) {
		if err := checkPane(pane); err != nil {
			add("cameras."+pane, "%v", err)
		}
	}
	for _, pane := range sortedKeys(c.IgnoreZones) {
		if err := checkPane(pane); err != nil {
			add("ignore_zones."+pane, "%v", err)
			continue
		}
		for i, z := range c.IgnoreZones[pane] {
			if _, err := alpr.ParseZone(z); err != nil {
				add(fmt.Sprintf("ignore_zones.%s[%d]", pane, i), "%v", err)
			}
		}
	}
	seen := map[string]bool{}
	for i, l := range c.HotLists {
		place := fmt.Sprintf("hot_lists[%d]", i)
		if l.Name != "" {
			place += " (" + l.Name + ")"
		}
		if l.Name == "" {
			add(place+".name", "required")
		}
		if l.URL == "" {
			add(place+".url", "required (an http(s) URL or a file path)")
		}
		if l.Name != "" && seen[l.Name] {
			add(place+".name", "list %q named twice", l.Name)
		}
		seen[l.Name] = true
		switch l.Format {
		case "ncic", "cadoj", "csv", "plate-state":
		default:
			add(place+".format", "%q: want ncic, cadoj, csv or plate-state", l.Format)
		}
		switch l.Kind {
		case "general", "special":
		default:
			add(place+".kind", "%q: want general or special", l.Kind)
		}
		switch l.Tolerance {
		case "", "exact", "look-alike", "look-alike-or-indel":
		default:
			add(place+".tolerance", "%q: want exact, look-alike or look-alike-or-indel", l.Tolerance)
		}
		if l.ShareApproved && !l.Departmental {
			add(place+".share_approved", "only a departmental list needs the Administrator's approval to be shared (IV.C.6); set departmental too, or leave it out")
		}
		if len(l.Columns) > 0 && l.Format != "csv" {
			add(place+".columns", "column names apply to csv lists only, not %q", l.Format)
		}
	}
	sources := 0
	for _, set := range []bool{c.GPS.Serial != "", c.GPS.UDP != "", c.GPS.Replay != ""} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		add("gps", "set one of serial, udp or replay, not %d", sources)
	}
	if (c.GPS.ReplayLoop || c.GPS.ReplaySpeed != 0) && c.GPS.Replay == "" {
		add("gps.replay_loop", "replay_loop and replay_speed need a replay file")
	}
	if c.GPS.ReplaySpeed < 0 || c.GPS.ReplaySpeed > 100 {
		add("gps.replay_speed", "%g: want 0 (real time) to 100", c.GPS.ReplaySpeed)
	}
	switch {
	case c.ServerURL == "":
		if c.ServerBundle != "" {
			add("server_bundle", "set, but server_url is not: name the agency server")
		}
	case !strings.HasPrefix(c.ServerURL, "https://") && !strings.HasPrefix(c.ServerURL, "http://"):
		add("server_url", "%q: want https://host:port", c.ServerURL)
	case strings.HasPrefix(c.ServerURL, "https://") && c.ServerBundle == "":
		add("server_bundle", "required with an https server_url: the agency server admits a car by its certificate (patrol-alpr-server car add)")
	}
	if c.OutboxWarn < 0 {
		add("outbox_warn", "%d: want a number of items, 0 for the default", c.OutboxWarn)
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkPane(pane string) error {
	for _, c := range alpr.Cameras {
		if pane == string(c) {
			return nil
		}
	}
	return fmt.Errorf("camera pane %q: must be Cam-1, Cam-2 or Cam-3", pane)
}

// Zones parses IgnoreZones.
func (c Config) Zones() (map[alpr.CameraID][]alpr.Zone, error) {
	out := map[alpr.CameraID][]alpr.Zone{}
	for pane, specs := range c.IgnoreZones {
		if err := checkPane(pane); err != nil {
			return nil, fmt.Errorf("ignore_zones: %w", err)
		}
		for _, s := range specs {
			z, err := alpr.ParseZone(s)
			if err != nil {
				return nil, fmt.Errorf("ignore_zones %s: %w", pane, err)
			}
			out[alpr.CameraID(pane)] = append(out[alpr.CameraID(pane)], z)
		}
	}
	return out, nil
}

// placed adds the line and column to a JSON error that knows its offset in b.
func placed(b []byte, err error) error {
	var off int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
		if typ.Field != "" {
			return fmt.Errorf("line %s: %s: want %s, not a JSON %s", lineCol(b, off), typ.Field, typ.Type, typ.Value)
		}
	default:
		return err
	}
	return fmt.Errorf("line %s: %w", lineCol(b, off), err)
}

func lineCol(b []byte, off int64) string {
	off = min(max(off, 0), int64(len(b)))
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%d col %d", line, col)
}
