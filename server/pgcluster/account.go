package pgcluster

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// account is the operating-system user the PostgreSQL programs run as.
type account struct {
	name string
	uid  int
	gids []int // primary group first
	home string
	cred *credential // nil: run as this process's user
}

// runAccount is this process's user, or Debian's postgres user when this process is root,
// because initdb and postgres refuse to run as root.
func runAccount() (account, error) {
	if os.Geteuid() != 0 {
		return account{uid: os.Geteuid(), gids: []int{os.Getegid()}}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return account{}, fmt.Errorf("running as root, look up the postgres user to run PostgreSQL as (install postgresql-15: make setup): %w", err)
	}
	a := account{name: u.Username, home: u.HomeDir}
	if a.uid, err = strconv.Atoi(u.Uid); err != nil {
		return account{}, fmt.Errorf("postgres user's uid %q: %w", u.Uid, err)
	}
	ids, err := u.GroupIds()
	if err != nil {
		ids = nil // the primary group is enough to run as
	}
	for _, s := range append([]string{u.Gid}, ids...) {
		if g, err := strconv.Atoi(s); err == nil && !slices.Contains(a.gids, g) {
			a.gids = append(a.gids, g)
		}
	}
	groups := make([]uint32, len(a.gids))
	for i, g := range a.gids {
		groups[i] = uint32(g)
	}
	a.cred = newCredential(uint32(a.uid), groups)
	return a, nil
}

// env is the environment for the PostgreSQL programs: this process's, less the PG variables
// that would point them at some other server, and with the home of the user they run as.
func (a account) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") {
			continue
		}
		if a.cred != nil && (strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "USER=") || strings.HasPrefix(kv, "LOGNAME=")) {
			continue
		}
		env = append(env, kv)
	}
	if a.cred != nil {
		env = append(env, "HOME="+a.home, "USER="+a.name, "LOGNAME="+a.name)
	}
	return env
}

// checkReachable says which directory above dir keeps the account from reaching it; the
// typical case is a cluster under root's 0700 home when the programs run as postgres.
func checkReachable(dir string, a account) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("check that %s can reach %s: %w", a.name, dir, err)
		}
		if uid, gid, ok := owner(fi); ok && !canSearch(fi.Mode().Perm(), uid, gid, a) {
			return fmt.Errorf("the cluster directory %s is not reachable by the %s user that PostgreSQL runs as under root: %s (mode %v) does not let it through; put the cluster where %s can reach it, e.g. /var/lib/patrol-alpr-server or /tmp",
				dir, a.name, p, fi.Mode().Perm(), a.name)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// canSearch reports whether a may pass through a directory with this mode and owner.
func canSearch(perm os.FileMode, uid, gid int, a account) bool {
	switch {
	case uid == a.uid:
		return perm&0o100 != 0
	case slices.Contains(a.gids, gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}
