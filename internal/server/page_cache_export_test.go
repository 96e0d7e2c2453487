package server

// KeptPages is how often the instance's kept pages were served again and drawn afresh.
func KeptPages(s *Server, relativeURL string) (hits, misses uint64) {
	in := s.byPath[relativeURL]
	return in.pages.hits.Load(), in.pages.misses.Load()
}
