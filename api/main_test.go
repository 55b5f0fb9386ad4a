package api_test

import (
	"os"
	"testing"

	"zhilian/internal/testutil"
)

// TestMain stops the shared S3 server (started by the tests that need it).
func TestMain(m *testing.M) {
	code := m.Run()
	testutil.StopS3()
	os.Exit(code)
}
