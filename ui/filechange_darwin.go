package ui

import "syscall"

func statusChanged(st *syscall.Stat_t) syscall.Timespec { return st.Ctimespec }
