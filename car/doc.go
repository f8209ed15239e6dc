// Package car assembles a running car from its configuration: the store, hot lists,
// GPS, sync, alarm and, for each shift, the cameras and the reading pipeline, wired to
// the window. Package main only parses flags and picks a command; everything that makes
// the parts into one working system is here, with its own tests.
package car
