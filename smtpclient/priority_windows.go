package smtpclient

import "golang.org/x/sys/windows"

// setThreadPriority is kernel32's SetThreadPriority (golang.org/x/sys has no
// wrapper for it).
var setThreadPriority = windows.NewLazySystemDLL("kernel32.dll").NewProc("SetThreadPriority")

// threadPriorityBelowNormal is THREAD_PRIORITY_BELOW_NORMAL.
var threadPriorityBelowNormal int32 = -1

// lowerThreadPriority lowers the calling thread's priority one step below
// normal. The caller has locked its goroutine to the thread and never
// unlocks it, so the thread ends with the goroutine. Failure only means the
// send runs at normal priority. (Not run on Windows by the tests here; the
// Linux version is tested.)
func lowerThreadPriority() {
	h, err := windows.GetCurrentThread()
	if err != nil {
		return
	}
	setThreadPriority.Call(uintptr(h), uintptr(threadPriorityBelowNormal))
}
