package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// debianRoot is where Debian's postgresql-N packages put each major version's binaries.
const debianRoot = "/usr/lib/postgresql"

// ErrNoPostgres means the PostgreSQL binaries are not installed where they were looked for.
var ErrNoPostgres = errors.New("PostgreSQL binaries not found (install postgresql-15: make setup)")

// binaries are the programs a cluster needs from its BinDir.
var binaries = []string{"initdb", "pg_ctl", "postgres", "psql"}

// resolveBinDir picks the binaries to run: the explicit dir if given, else the installed
// version that matches an existing cluster (so an upgrade of the packages does not strand its
// data), else the newest installed.
func resolveBinDir(explicit, clusterVersion string) (string, error) {
	dir := explicit
	if dir == "" {
		found, err := installedBinDirs()
		if err != nil {
			return "", err
		}
		dir = found[len(found)-1]
		for _, d := range found {
			if filepath.Base(filepath.Dir(d)) == clusterVersion {
				dir = d
			}
		}
	}
	for _, name := range binaries {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("look for %s: %w: %w", p, ErrNoPostgres, err)
		}
		if fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", fmt.Errorf("look for %s: %w: not an executable file", p, ErrNoPostgres)
		}
	}
	return dir, nil
}

// installedBinDirs lists Debian's /usr/lib/postgresql/N/bin, oldest major version first.
func installedBinDirs() ([]string, error) {
	matches, _ := filepath.Glob(filepath.Join(debianRoot, "*", "bin", "initdb"))
	type versioned struct {
		major int
		dir   string
	}
	var found []versioned
	for _, m := range matches {
		dir := filepath.Dir(m)
		major, err := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
		if err != nil {
			continue // not a version directory
		}
		found = append(found, versioned{major, dir})
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("look for %s/*/bin: %w", debianRoot, ErrNoPostgres)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].major < found[j].major })
	dirs := make([]string, len(found))
	for i, f := range found {
		dirs[i] = f.dir
	}
	return dirs, nil
}

// clusterVersion reads the major version a data directory was made by; "" when there is none.
func clusterVersion(data string) (string, error) {
	b, err := os.ReadFile(filepath.Join(data, "PG_VERSION"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read cluster version: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// parseVersion takes the major version out of "pg_ctl (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)".
func parseVersion(out string) string {
	f := strings.Fields(out)
	for i, w := range f {
		if w == "(PostgreSQL)" && i+1 < len(f) {
			major, _, _ := strings.Cut(f[i+1], ".")
			return major
		}
	}
	return ""
}
