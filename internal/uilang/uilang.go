// Package uilang tells Fyne the app speaks US English when the process's locale is C or
// POSIX (a bare Debian's default, C.UTF-8), which names no language: Fyne would log "Error
// parsing user locale C" at every start.
//
// Fyne reads the locale while its lang package initialises, before main runs, so the fix
// must run at initialisation too: this package's init is the program's only one. Go
// initialises packages in import-path order as soon as their imports are ready; this one
// imports only os and strings, and Fyne's lang needs text/template, whose path sorts after
// "patrol-alpr/", so this runs first (TestWindowUnderXvfb starts the binary under LANG=C.UTF-8
// and checks that Fyne stays quiet). Import it for its effect from package main.
package uilang

import (
	"os"
	"strings"
)

func init() { Set(os.Getenv, os.Setenv, os.Unsetenv) }

// Set puts LC_MESSAGES=en_US.UTF-8 in the environment when the locale that Fyne would read
// (LC_ALL, then LC_MESSAGES, then LANG: the first set) is C or POSIX. Only the language of
// messages changes, not how numbers or text are handled. A C or POSIX LC_ALL is removed, as it
// would hide LC_MESSAGES.
func Set(getenv func(string) string, setenv func(string, string) error, unsetenv func(string) error) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		if !notALanguage(v) {
			return
		}
		if name == "LC_ALL" {
			_ = unsetenv("LC_ALL")
		}
		break
	}
	_ = setenv("LC_MESSAGES", "en_US.UTF-8")
}

func notALanguage(locale string) bool {
	base, _, _ := strings.Cut(locale, ".")
	return base == "C" || base == "POSIX"
}
