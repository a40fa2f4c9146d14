package public

// KeptStrings returns every string the site keeps from one request to the
// next that a request could have given it: the cache's keys, stored and
// in flight, the header values of its entries, and the memo of
// Accept-Language values. Tests check that none shares memory with a
// request, whose strings on the fast path are views of a connection's
// buffer (see fastpath.Request).
func KeptStrings(s *Site) []string {
	var out []string
	c := s.cache
	c.mu.RLock()
	for k, e := range c.entries {
		out = append(out, k.path, k.lang)
		for _, v := range [][]string{e.lang, e.ctype, e.lastModified, e.identity.etag, e.identity.length, e.gzip.etag, e.gzip.length} {
			out = append(out, v...)
		}
	}
	for k := range c.inflight {
		out = append(out, k.path, k.lang)
	}
	c.mu.RUnlock()
	s.langs.mu.RLock()
	for k, v := range s.langs.m {
		out = append(out, k, v)
	}
	s.langs.mu.RUnlock()
	return out
}
