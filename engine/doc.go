// Package engine is the car's reading pipeline: for each camera it takes the newest frame,
// shows it, reads the plates in it, folds the reads of one vehicle pass into one detection
// stamped with the GPS fix of its frame, saves it, matches it against the hot lists, and
// raises a hit. It also keeps the six status lights of policy III.C.6 up to date.
//
// The engine owns no device: cameras, reader, GPS, store, hot lists and the screen are handed
// in as small interfaces, so main wires the real ones and tests wire real ones on fake feeds.
package engine
