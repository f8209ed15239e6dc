//go:build race

package ocr

// raceEnabled skips the slow whole-benchmark evaluations under the race
// detector, which slows OpenCV-bound code tenfold and finds nothing there.
const raceEnabled = true
