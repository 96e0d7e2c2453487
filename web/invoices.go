package web

// InvoicesView is the Invoices list with the form that downloads the PDFs of a date range.
type InvoicesView struct {
	List    *List
	Notice  string
	ZipHref string
	ZipMax  int
	ZipOpen bool    // the ZIP form is shown unfolded, after a ZIP request it answers
	Hidden  []Field // the list's other filters, carried by the ZIP form
}

// Field is a hidden form field.
type Field struct{ Name, Value string }
