// Package loadtest measures a broadcast end to end: thousands of users
// in a real database, the organizer's /broadcast conversation, and the
// outbox worker sending through a pluggable Sender. Its test only builds
// with the loadtest tag, so the default test run skips it:
//
//	go test -tags loadtest -run TestBroadcastLoad -v -timeout 30m ./bot/loadtest/
//
// Flags (after the package): -sender (fake, or a messenger registered in
// targets), -users, -rate, -paid (paid broadcast rate, 0: off),
// -latency (the fake messenger's round trip), -senders.
package loadtest
