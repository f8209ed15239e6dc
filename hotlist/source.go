package hotlist

import (
	"fmt"
	"strings"

	"patrol-alpr/alpr"
	"patrol-alpr/config"
)

// Source is one hot list the car downloads: where from, in what format, and how its
// hits are treated.
type Source struct {
	// List describes the list: Name, Kind (General or Special), Priority, Tolerance,
	// Informational (IV.C.4), Covert, Departmental and ShareApproved (IV.C.6). The manager
	// fills Source, Version, LoadedAt and Entries.
	List alpr.HotList
	// URL is an http(s) URL, a file:// URL or a path.
	URL    string
	Format Format
	// Parse holds format settings (CSV columns, duplicate policy). List is always the
	// list's name; Reason defaults to DefaultReason(name).
	Parse ParseOptions
}

// DefaultReason is the reason shown for entries of the California DOJ general lists,
// whose files carry none.
func DefaultReason(list string) string {
	switch strings.ToUpper(list) {
	case "SVS":
		return "stolen vehicle"
	case "SLR":
		return "stolen license plate"
	case "SFR":
		return "stolen or felony vehicle"
	}
	return ""
}

// ParseTolerance reads a tolerance as the configuration writes it: "exact",
// "look-alike" or "look-alike-or-indel" ("" is look-alike).
func ParseTolerance(s string) (alpr.Tolerance, error) {
	switch s {
	case "exact":
		return alpr.Exact, nil
	case "", "look-alike":
		return alpr.LookAlike, nil
	case "look-alike-or-indel":
		return alpr.LookAlikeOrIndel, nil
	}
	return 0, fmt.Errorf("tolerance %q: want exact, look-alike or look-alike-or-indel", s)
}

// SourcesFromConfig turns the configuration's hot_lists into sources.
func SourcesFromConfig(cs []config.HotListSource) ([]Source, error) {
	out := make([]Source, 0, len(cs))
	for _, c := range cs {
		tol, err := ParseTolerance(c.Tolerance)
		if err != nil {
			return nil, fmt.Errorf("hot list %s: %w", c.Name, err)
		}
		kind := alpr.ListKind(c.Kind)
		if kind != alpr.General && kind != alpr.Special {
			return nil, fmt.Errorf("hot list %s: kind %q: want general or special", c.Name, c.Kind)
		}
		out = append(out, Source{
			List: alpr.HotList{Name: c.Name, Kind: kind, Priority: c.Priority, Tolerance: tol,
				Informational: c.Informational, Covert: c.Covert, Departmental: c.Departmental,
				ShareApproved: c.ShareApproved},
			URL:    c.URL,
			Format: Format(c.Format),
			Parse:  ParseOptions{Columns: c.Columns},
		})
	}
	return out, nil
}

// Shareable reports whether a list may be shared with outside agencies: departmental
// lists only with the ALPR Administrator's approval (IV.C.6).
func Shareable(l alpr.HotList) bool { return !l.Departmental || l.ShareApproved }
