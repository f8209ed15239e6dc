package car

import (
	"errors"
	"os"
	"path/filepath"

	"patrol-alpr/config"
)

// LoadConfig reads the configuration at path, falling back to classroom mode when there is
// none or when classroom is set; dataDir, when given, moves the data folder.
func LoadConfig(path string, classroom bool, dataDir string) (config.Config, error) {
	cfg, err := config.Load(path)
	switch {
	case errors.Is(err, config.ErrNotConfigured) || classroom:
		dir := dataDir
		if dir == "" {
			base, err := os.UserCacheDir()
			if err != nil {
				base = os.TempDir()
			}
			dir = filepath.Join(base, "patrol-alpr", "classroom")
		}
		return config.Classroom(dir), nil
	case err != nil:
		return config.Config{}, err
	}
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	return cfg, nil
}
