// Package pgcluster runs a private PostgreSQL cluster from Debian's binaries: the server's
// embedded default when no DSN is configured, and the real database every server test runs
// against.
//
// A cluster lives in one directory: the data directory in dir/data, the Unix socket in dir,
// and, unless a log writer is given, postgres's log in dir/postgres.log. It listens on
// 127.0.0.1 only and trusts every local connection, so it is meant for one host whose users
// are trusted; an agency with other people on the host points the server at its own
// PostgreSQL with a DSN instead.
//
// initdb and postgres refuse to run as root. When this process is root they run as Debian's
// postgres system user, which must be able to reach dir: as root, keep the cluster somewhere
// postgres can get to (/var/lib/patrol-alpr-server, /tmp), not under /root.
package pgcluster
