//go:build race

package main

// raceEnabled: the race detector slows byte-crunching tests about tenfold.
const raceEnabled = true
