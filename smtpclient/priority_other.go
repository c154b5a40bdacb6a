//go:build !linux && !windows

package smtpclient

// lowerThreadPriority does nothing here yet: on macOS the thread's QoS
// class needs cgo (pthread_set_qos_class_self_np), and the one system call
// that marks a thread as background (PRIO_DARWIN_BG) also throttles its
// disk reads, which would slow reading the attachments.
func lowerThreadPriority() {}
