package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// patrolTheme is readable at arm's length in a moving car: large text and targets,
// and high contrast. The night palette (the default) is dark so the screen does not
// blind the driver; the day palette is light so it stays readable in sunlight.
type patrolTheme struct {
	night bool
}

var _ fyne.Theme = patrolTheme{}

// Colours that mean the same in both palettes: the state lights, the hit alert and the
// TRAINING banner must never change meaning with the theme.
var (
	colorGreen    = color.NRGBA{R: 0x22, G: 0xC5, B: 0x5E, A: 0xFF}
	colorAmber    = color.NRGBA{R: 0xF5, G: 0x9E, B: 0x0B, A: 0xFF}
	colorRed      = color.NRGBA{R: 0xEF, G: 0x44, B: 0x44, A: 0xFF}
	colorOff      = color.NRGBA{R: 0x4B, G: 0x55, B: 0x63, A: 0xFF}
	colorAlert    = color.NRGBA{R: 0xB9, G: 0x1C, B: 0x1C, A: 0xFF} // hit alert header
	colorTraining = color.NRGBA{R: 0xFA, G: 0xCC, B: 0x15, A: 0xFF} // banner: yellow with black text
	colorInk      = color.NRGBA{R: 0x0A, G: 0x0A, B: 0x0A, A: 0xFF}
	colorWhite    = color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF}
)

type palette struct {
	background, surface, input, foreground, muted, primary, onPrimary, separator, hover, selection color.Color
}

var (
	nightPalette = palette{
		background: color.NRGBA{R: 0x0B, G: 0x0F, B: 0x14, A: 0xFF},
		surface:    color.NRGBA{R: 0x1B, G: 0x24, B: 0x2F, A: 0xFF},
		input:      color.NRGBA{R: 0x13, G: 0x1A, B: 0x22, A: 0xFF},
		foreground: color.NRGBA{R: 0xF1, G: 0xF5, B: 0xF9, A: 0xFF},
		muted:      color.NRGBA{R: 0x94, G: 0xA3, B: 0xB8, A: 0xFF},
		primary:    color.NRGBA{R: 0x38, G: 0xBD, B: 0xF8, A: 0xFF},
		onPrimary:  color.NRGBA{R: 0x04, G: 0x12, B: 0x1C, A: 0xFF},
		separator:  color.NRGBA{R: 0x33, G: 0x41, B: 0x55, A: 0xFF},
		hover:      color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0x18},
		selection:  color.NRGBA{R: 0x38, G: 0xBD, B: 0xF8, A: 0x55},
	}
	dayPalette = palette{
		background: color.NRGBA{R: 0xF3, G: 0xF5, B: 0xF7, A: 0xFF},
		surface:    color.NRGBA{R: 0xDD, G: 0xE3, B: 0xEA, A: 0xFF},
		input:      color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF},
		foreground: color.NRGBA{R: 0x05, G: 0x0A, B: 0x12, A: 0xFF},
		muted:      color.NRGBA{R: 0x47, G: 0x55, B: 0x69, A: 0xFF},
		primary:    color.NRGBA{R: 0x03, G: 0x5E, B: 0xC4, A: 0xFF},
		onPrimary:  color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF},
		separator:  color.NRGBA{R: 0x94, G: 0xA3, B: 0xB8, A: 0xFF},
		hover:      color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x14},
		selection:  color.NRGBA{R: 0x03, G: 0x5E, B: 0xC4, A: 0x40},
	}
)

func (t patrolTheme) palette() palette {
	if t.night {
		return nightPalette
	}
	return dayPalette
}

// Color implements fyne.Theme; the variant the OS asks for is ignored because the
// officer chooses night or day, not the desktop.
func (t patrolTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	p := t.palette()
	switch n {
	case theme.ColorNameBackground:
		return p.background
	case theme.ColorNameButton, theme.ColorNameHeaderBackground, theme.ColorNameMenuBackground:
		return p.surface
	case theme.ColorNameOverlayBackground:
		return p.background // pop-ups are as dark as the screen so their buttons stand out
	case theme.ColorNameInputBackground:
		return p.input
	case theme.ColorNameForeground:
		return p.foreground
	case theme.ColorNamePlaceHolder, theme.ColorNameDisabled:
		return p.muted
	case theme.ColorNameDisabledButton:
		return p.input
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return p.primary
	case theme.ColorNameForegroundOnPrimary:
		return p.onPrimary
	case theme.ColorNameSeparator, theme.ColorNameInputBorder, theme.ColorNameScrollBar:
		return p.separator
	case theme.ColorNameHover, theme.ColorNamePressed:
		return p.hover
	case theme.ColorNameSelection:
		return p.selection
	case theme.ColorNameError, theme.ColorNameForegroundOnError:
		if n == theme.ColorNameForegroundOnError {
			return colorWhite
		}
		return colorRed
	case theme.ColorNameSuccess:
		return colorGreen
	case theme.ColorNameWarning:
		return colorAmber
	case theme.ColorNameShadow:
		return color.NRGBA{A: 0x99}
	}
	return theme.DefaultTheme().Color(n, theme.VariantDark)
}

// Font implements fyne.Theme with Fyne's bundled fonts, which render the same on every car.
func (patrolTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon implements fyne.Theme.
func (patrolTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size implements fyne.Theme: text and targets are larger than Fyne's defaults so a
// gloved finger hits them on a moving 1024×768 screen.
func (patrolTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 18
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 21
	case theme.SizeNameCaptionText:
		return 14
	case theme.SizeNamePadding:
		return 5
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNameInlineIcon:
		return 24
	case theme.SizeNameInputBorder:
		return 2
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 6
	case theme.SizeNameScrollBar:
		return 14
	}
	return theme.DefaultTheme().Size(n)
}
