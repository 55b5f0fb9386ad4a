package api_test

import (
	"fmt"
	"os"
	"testing"

	"zhilian/internal/testutil"
)

// TestMain runs up to eight tests at once (each has its own database and
// mostly waits for it), stops the shared S3 server (started by the tests
// that need it) and prints which operation × status pairs of the OpenAPI
// document the tests exercised and which operations none reached.
func TestMain(m *testing.M) {
	testutil.RaiseParallel(8)
	code := m.Run()
	testutil.StopS3()
	fmt.Print(testutil.ContractReport())
	os.Exit(code)
}
