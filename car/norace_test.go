//go:build !race

package car

const raceDetector = false
