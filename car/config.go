package car

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"patrol-alpr/config"
)

// LoadConfig reads the configuration at path. Classroom mode starts only when nothing is
// configured: path is the default one (named is false) and no file is there, or classroom
// is set. A file the user named that cannot be read is an error, never a silent classroom,
// so a mistyped -config does not start a training car. dataDir, when given, moves the data
// folder.
func LoadConfig(path string, named, classroom bool, dataDir string) (config.Config, error) {
	if classroom {
		return classroomConfig(dataDir), nil
	}
	cfg, err := CheckFile(path)
	switch {
	case errors.Is(err, config.ErrNotConfigured) && named:
		return config.Config{}, fmt.Errorf("configuration file %s not found (to start the classroom instead, leave out -config or give -classroom)", path)
	case errors.Is(err, config.ErrNotConfigured):
		return classroomConfig(dataDir), nil
	case err != nil:
		return config.Config{}, err
	}
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	return cfg, nil
}

// classroomConfig keeps the classroom's data in the user cache folder unless dataDir says
// otherwise: training data is never mixed with a car's.
func classroomConfig(dataDir string) config.Config {
	dir := dataDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		dir = filepath.Join(base, "patrol-alpr", "classroom")
	}
	return config.Classroom(dir)
}
