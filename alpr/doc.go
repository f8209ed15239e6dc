// Package alpr holds the words of General Order J-4 as Go types: detections,
// hot lists and hot plates, hits and their dispositions, GPS fixes, operators
// and shifts. It has no dependencies and does no I/O, so every other package
// (store, matcher, hotlist, engine, app) can share one vocabulary without
// importing each other.
package alpr
