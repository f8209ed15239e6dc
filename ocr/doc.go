// Package ocr reads US licence plates in camera frames: it finds the plates
// (localisation), reads their characters with a small CNN run by OpenCV's dnn
// module (recognition), and turns the reads of consecutive frames into one
// detection per vehicle pass (tracking).
//
// Localisation looks for what a plate is made of: a band of dense vertical
// edges (proposals, found at half resolution because that is cheap), inside
// which a row of 4 or more character-sized blobs of similar height lines up
// (characters, found at a normalised scale with several thresholds because
// small, dirty plates break any single threshold). The row's top and bottom
// lines give the plate's skew and perspective, so the crop handed to the
// recognizer is rectified. The recognizer reads the whole crop column by
// column (CTC), which is what gives per-character confidences and scored
// alternates for the look-alikes the matcher must tolerate (policy IV.C:
// a hit is only as good as the read behind it).
package ocr
