// Package app is the patrol screen: what the officer sees and does all shift, and the
// classroom's trainer panel. It is the only package that imports Fyne. Everything it
// needs from the rest of the system comes in through Deps as small interfaces, and
// everything the rest of the system tells it (frames, lights, detections, hits) comes in
// through methods of UI that are safe to call from any goroutine: they hand the change
// to the Fyne thread with fyne.Do and never wait for it.
package app
