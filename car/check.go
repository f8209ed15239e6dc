package car

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"patrol-alpr/camera"
	"patrol-alpr/config"
	"patrol-alpr/hotlist"
	"patrol-alpr/learn"
)

// CheckConfig is the whole check of a car's configuration, before anything starts: the
// file's own rules (config.Validate) and what only the parts can tell, such as whether each
// camera source names a kind of feed there is. It returns every problem at once, each named
// by its place in the file (a config.Problems), or nil.
func CheckConfig(cfg config.Config) error {
	var ps config.Problems
	if err := cfg.Validate(); err != nil {
		if !errors.As(err, &ps) {
			return err
		}
	}
	panes := make([]string, 0, len(cfg.Cameras))
	for pane := range cfg.Cameras {
		panes = append(panes, pane)
	}
	sort.Strings(panes)
	for _, pane := range panes {
		if _, err := camera.ParseConfig(cfg.Cameras[pane]); err != nil {
			ps = append(ps, config.Problem{Place: "cameras." + pane, Msg: err.Error()})
		}
	}
	for i, l := range cfg.HotLists {
		for _, field := range sortedKeys(l.Columns) {
			if !slices.Contains(hotlist.CSVFields(), field) {
				ps = append(ps, config.Problem{Place: fmt.Sprintf("hot_lists[%d] (%s).columns.%s", i, l.Name, field),
					Msg: "not a field of a hot-list entry (" + strings.Join(hotlist.CSVFields(), ", ") + ")"})
			}
		}
	}
	// A bundle that cannot be read would stop the car at start: say so here, by its file.
	if cfg.ServerBundle != "" {
		if _, err := learn.LoadBundle(cfg.ServerBundle); err != nil {
			ps = append(ps, config.Problem{Place: "server_bundle", Msg: err.Error()})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CheckFile loads and checks the configuration file at path, as `patrol-alpr config check`
// does and as the app does before it starts: the error names the file and every problem.
func CheckFile(path string) (config.Config, error) {
	cfg, err := config.LoadUnchecked(path)
	if err != nil {
		return cfg, err
	}
	if err := CheckConfig(cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}
