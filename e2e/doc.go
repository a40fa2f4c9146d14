// Package e2e holds crisisdesk's end-to-end tests: the real binary run as a
// process (binary_test.go) and the real app driven by a headless Chromium
// (browser_test.go). It has no code of its own; everything is in the tests.
//
// The browser test skips when no Chromium is installed, unless the
// environment variable CI is set: under CI a missing browser is a failure.
// Set CRISISDESK_E2E_ARTIFACTS to a directory to keep the screenshot and
// HTML of a failed browser test there.
package e2e
