// Package assets holds the data built into the binary: the application icon, the
// recognizer's model, and the classroom's training hot list. It holds data only.
package assets

import "embed"

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte

// Models holds the recognizer's ONNX model (models/plate-ctc.onnx) and the plate layouts it
// weighs its reads by (models/plate-layouts.csv), both built by `make model`.
//
//go:embed models
var Models embed.FS

// Classroom holds the training hot list (classroom/hotlist.csv): made-up plates that exist
// only for the trainer's scenarios.
//
//go:embed classroom
var Classroom embed.FS
