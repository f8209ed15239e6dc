package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// choices is a one-of-many picker made of large buttons in a grid: easier to hit in a
// moving car than radio dots, and it wraps onto rows instead of widening the alert.
type choices struct {
	box       *fyne.Container
	buttons   map[string]*widget.Button
	Selected  string
	onChanged func() // after a tap has changed the choice
}

func newChoices(columns int, options []string, touch func()) *choices {
	c := &choices{box: container.NewGridWithColumns(columns), buttons: map[string]*widget.Button{}}
	for _, o := range options {
		b := widget.NewButton(o, func() {
			touch()
			c.SetSelected(o)
			if c.onChanged != nil {
				c.onChanged()
			}
		})
		c.buttons[o] = b
		c.box.Add(b)
	}
	return c
}

// SetSelected marks one option chosen; "" clears the choice.
func (c *choices) SetSelected(option string) {
	c.Selected = ""
	for o, b := range c.buttons {
		if o == option {
			c.Selected = o
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
}
