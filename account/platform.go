package account

import "runtime"

// isWindows: Windows protects its folders with ACLs, not mode bits.
const isWindows = runtime.GOOS == "windows"
