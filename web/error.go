package web

// ErrorView is an error page: what went wrong, in the page's language, and the CC code where
// one applies.
type ErrorView struct {
	Status           int
	Heading, Message string
	Code, CodeText   string // CodeText is the vendor's English explanation of Code
	CodeFix          string // what the ERP administrator can do about it
	Retry            bool   // trying again may help
}
