package tui

// Messages between screens and the root are declared in common (screens
// send them); the root adds only this one.

// statusExpiredMsg clears the status line a few seconds after it was set,
// unless a newer note replaced it.
type statusExpiredMsg struct{ seq int }
