// Package accounttest holds what tests need of accounts and production
// must never use: password hashing at a trivial cost, so that a test
// environment with a dozen users does not spend seconds in argon2id. No
// setting selects it; a test in repotest fails if a package other than a
// test or a test kit imports this one.
package accounttest

import "crisisdesk/internal/account"

// WeakHashing is argon2id at its smallest cost: one pass over 64 KiB.
// Hashes made with it verify like any other; they are only cheap to make
// and to guess.
func WeakHashing() account.Hashing {
	return account.Hashing{Time: 1, MemoryKiB: 64, Threads: 1}
}
