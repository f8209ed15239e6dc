// Package desk serves the ALPR administrator's desk (policy III.B) as web pages of the agency
// server: the query audit, the quarterly report, hot list approvals, retention and evidence,
// equipment inspections, the training roster and the investigator's search. Pages are
// html/template files embedded in the binary, one per page over one layout; forms post and
// redirect; charts are SVG drawn on the server. Nothing needs JavaScript.
//
// Accounts are per agency with one of three roles (administrator, investigator, auditor),
// passwords hashed with argon2id; sessions live in the database, expire when idle, and ride
// on a Secure, HttpOnly, SameSite=Strict cookie. Cross-site requests are refused by
// http.CrossOriginProtection. Every page that shows detection data is written to the server's
// audit log.
package desk
