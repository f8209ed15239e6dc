package main

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

// modelDir returns the folder holding the recognizer model: dir when given, otherwise the
// model built into the binary, written once to the user's cache folder (OpenCV's dnn reads
// models from files). The folder is named by the model's hash, so a new build never reads an
// old model.
func modelDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	data, err := fs.ReadFile(assets.Models, "models/"+ocr.ModelFile)
	if err != nil {
		return "", fmt.Errorf("no recognizer model built in (run make model): %w", err)
	}
	sum := sha256.Sum256(data)
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	out := filepath.Join(base, "patrol-alpr", "models", hex.EncodeToString(sum[:8]))
	path := filepath.Join(out, ocr.ModelFile)
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, data) {
		return out, nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", fmt.Errorf("write recognizer model: %w", err)
	}
	tmp, err := os.CreateTemp(out, "model-*")
	if err != nil {
		return "", fmt.Errorf("write recognizer model: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write recognizer model: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write recognizer model: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write recognizer model: %w", err)
	}
	return out, nil
}

// openReader opens the plate reader with the model in dir, or the built-in one.
func openReader(dir string) (*ocr.Reader, error) {
	d, err := modelDir(dir)
	if err != nil {
		return nil, err
	}
	return ocr.Open(ocr.Options{ModelDir: d})
}
