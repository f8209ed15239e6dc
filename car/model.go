package car

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"patrol-alpr/assets"
	"patrol-alpr/ocr"
)

// modelFiles are the recognizer's files, built into the binary under models/.
var modelFiles = []string{ocr.ModelFile, ocr.LayoutFile, ocr.StateModelFile, ocr.StateClassesFile, ocr.StateLayoutsFile,
	ocr.VerifyModelFile, ocr.VerifyThresholdFile}

// ModelDir returns the folder holding the recognizer model: dir when given, otherwise the
// model built into the binary, written once to the user's cache folder (OpenCV's dnn reads
// models from files). The folder is named by the files' hash, so a new build never reads an
// old model.
func ModelDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	data := make([][]byte, len(modelFiles))
	h := sha256.New()
	for i, name := range modelFiles {
		b, err := fs.ReadFile(assets.Models, "models/"+name)
		if err != nil {
			return "", fmt.Errorf("no recognizer model built in (run make model): %w", err)
		}
		data[i] = b
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	out := filepath.Join(cacheDir(), "patrol-alpr", "models", hex.EncodeToString(h.Sum(nil)[:8]))
	for i, name := range modelFiles {
		if err := writeOnce(filepath.Join(out, name), data[i]); err != nil {
			return "", fmt.Errorf("write recognizer model: %w", err)
		}
	}
	return out, nil
}

func cacheDir() string {
	if base, err := os.UserCacheDir(); err == nil {
		return base
	}
	return os.TempDir()
}

// writeOnce makes path hold data, unless it already does, through a temporary file so that
// a reader never sees half a file.
func writeOnce(path string, data []byte) error {
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "model-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// OpenReader opens the plate reader with the model in dir, or the built-in one.
func OpenReader(dir string) (*ocr.Reader, error) {
	d, err := ModelDir(dir)
	if err != nil {
		return nil, err
	}
	return ocr.Open(ocr.Options{ModelDir: d})
}
