package smtpclient

import "syscall"

// backgroundNice is how much lower the priority of Config.Background's
// threads is: nice +10 weighs about a tenth of a normal thread when both
// want the CPU.
const backgroundNice = 10

// lowerThreadPriority lowers the calling thread's priority (Linux keeps a
// nice value per thread). The caller has locked its goroutine to the thread
// and never unlocks it, so the thread ends with the goroutine. Failure only
// means the send runs at normal priority. A low-priority thread can still
// briefly hold what others wait for (a Go P, the panel's event lock, a
// stop-the-world of the collector); that delays the interface by a time
// slice at most, far less than the contention it takes away.
func lowerThreadPriority() {
	nice := 0
	if p, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0); err == nil {
		nice = 20 - p // the raw system call returns 20 - nice
	}
	syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), min(nice+backgroundNice, 19))
}
