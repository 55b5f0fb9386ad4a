package testutil

import (
	"net/http"
	"os"
	"sync"
	"testing"

	"zhilian/api"
	"zhilian/internal/contract"
)

var (
	coverageOnce sync.Once
	coverage     *contract.Coverage
	coverageErr  error
)

// contractCoverage is the test binary's count of operation × status pairs.
func contractCoverage(t testing.TB) *contract.Coverage {
	coverageOnce.Do(func() {
		spec, err := api.OpenAPI()
		if err != nil {
			coverageErr = err
			return
		}
		coverage, coverageErr = contract.NewCoverage(spec)
	})
	if coverageErr != nil {
		t.Fatalf("contract coverage: %v", coverageErr)
	}
	return coverage
}

// checkContract wraps h so that every request and response of the test
// server is validated against the OpenAPI document: an exchange the document
// does not allow fails t (when the test ends, so its own assertions still
// run on the real response).
func checkContract(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	spec, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bad []contract.Violation
	k, err := contract.New(spec, contractCoverage(t), func(v contract.Violation) []byte {
		mu.Lock()
		bad = append(bad, v)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // runs after the server is closed: every exchange is in
		mu.Lock()
		defer mu.Unlock()
		for _, v := range bad {
			t.Errorf("response outside the OpenAPI document: %s", v)
		}
	})
	return k.Wrap(h)
}

// ContractReport is the test binary's summary of the operation × status
// pairs its requests exercised and the operations none reached ("" when no
// test server ran). With ZL_CONTRACT_REPORT set it is also written there.
func ContractReport() string {
	if coverage == nil {
		return ""
	}
	out := coverage.Report()
	if p := os.Getenv("ZL_CONTRACT_REPORT"); p != "" {
		_ = os.WriteFile(p, []byte(out), 0o644)
	}
	return out
}
