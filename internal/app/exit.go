package app

import (
	"errors"
	"fmt"
	"io"
)

// Exit codes of the command.
const (
	ExitOK      = 0
	ExitFailure = 1 // the command could not do its work
	ExitInvalid = 2 // bad usage, or settings that do not load (check-config's "not ok")
)

// ExitError ends the command with Code. Err, when set, has not been shown yet; a nil Err means
// the command already told the person what went wrong.
type ExitError struct {
	Code int
	Err  error
}

// Error returns the message of Err, or a generic one when it was already shown.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns Err.
func (e *ExitError) Unwrap() error { return e.Err }

var (
	// errUsage ends the command after its usage was printed.
	errUsage = &ExitError{Code: ExitInvalid}
	// errHelp ends the command after help was asked for and printed.
	errHelp = &ExitError{Code: ExitOK}
)

// ExitCode is the process exit status for the result of Run.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitFailure
}

// Report writes err to w unless it was already shown, and returns the exit status.
func Report(w io.Writer, err error) int {
	var ee *ExitError
	if err != nil && (!errors.As(err, &ee) || ee.Err != nil) {
		fmt.Fprintln(w, "clientcenter:", err)
	}
	return ExitCode(err)
}
