// Package domain holds the records of the bot and their rules: users
// and their sessions, entries (a runner's registration or a child's Fun
// Starts sign-up), orders and payments, pushes and broadcasts, results
// and submissions, the audit log; their statuses and errors; and Tx,
// the storage transaction flows work in, made of one small interface
// per area. It imports no adapter and no storage: storage implements
// Tx, flows uses it.
package domain
