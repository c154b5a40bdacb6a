// Package filelock takes and drops an exclusive, advisory lock on an open
// file without waiting: flock on Unix, LockFileEx on Windows. The OS drops
// the lock when the file is closed or the process ends (also on kill -9),
// so a lock can never outlive its holder. account's settings lock and the
// outbox's per-message locks use it.
package filelock
