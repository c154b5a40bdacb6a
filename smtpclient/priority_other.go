//go:build !linux

package smtpclient

// lowerThreadPriority does nothing here yet: macOS would need the thread's
// QoS class and Windows SetThreadPriority, neither reachable from the
// standard library.
func lowerThreadPriority() {}
