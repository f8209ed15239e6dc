//go:build race

package car

const raceDetector = true
