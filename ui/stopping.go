package ui

// IsStopped reports whether Stopped was called: the app's loop has ended or
// is ending (the master window closed), so nothing given to the UI runs
// any more. The hand-over handler refuses a later start's files then.
func IsStopped() bool { return uiStopped() }
