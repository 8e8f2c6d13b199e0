// Package loadtest measures a broadcast end to end: thousands of users
// in a real database, the organizer's /broadcast conversation, and the
// outbox worker sending through a pluggable Sender. Its test only builds
// with the loadtest tag, so the default test run skips it:
//
//	go test -tags loadtest -run TestBroadcastLoad -v -timeout 30m ./bot/loadtest/ -sender telegram
//
// Flags (after the package): -sender (fake: a messenger that accepts
// everything; telegram: the real adapter against the fake Bot API
// server), -users, -rate, -paid (paid broadcast rate, 0: off),
// -latency (the messenger's round trip), -senders.
package loadtest
