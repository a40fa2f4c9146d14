// Package repotest holds the tests of the repository's own rules, which no
// single package can check: imports point one way (the domain knows no SQL,
// HTTP, River or surface; a surface knows no store), and nothing big or
// generated is tracked. It has no code of its own.
package repotest
