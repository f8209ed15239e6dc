// Package camera turns the car's cameras into frames: a Source reads one
// feed (a V4L2 device, a video file, a network stream, a folder of images or
// the synthetic road), and a Camera runs a Source in its own goroutine,
// keeps only the newest frame, reopens a failed feed with backoff and reports
// its health for the status lights (policy III.C.6 names the three cameras).
package camera
