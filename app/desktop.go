package app

import "fyne.io/fyne/v2"

// Quit ends ShowAndRun from any goroutine. (Closing the window from another goroutine
// instead races GLFW's pending mouse events in Fyne 2.7 and crashes.)
func (u *UI) Quit() { fyne.Do(u.app.Quit) }
