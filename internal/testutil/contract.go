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
	checkerOnce sync.Once
	checker     *contract.Checker
	coverage    *contract.Coverage
	checkerErr  error
)

// contractChecker is the test binary's one loaded OpenAPI document (loading
// and validating it costs more than many tests), with its count of
// operation × status pairs.
func contractChecker(t testing.TB) *contract.Checker {
	checkerOnce.Do(func() {
		spec, err := api.OpenAPI()
		if err != nil {
			checkerErr = err
			return
		}
		if coverage, checkerErr = contract.NewCoverage(spec); checkerErr != nil {
			return
		}
		checker, checkerErr = contract.New(spec, coverage, func(contract.Violation) []byte { return nil })
	})
	if checkerErr != nil {
		t.Fatalf("contract checker: %v", checkerErr)
	}
	return checker
}

// checkContract wraps h so that every request and response of the test
// server is validated against the OpenAPI document: an exchange the document
// does not allow fails t (when the test ends, so its own assertions still
// run on the real response).
func checkContract(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	var mu sync.Mutex
	var bad []contract.Violation
	k := contractChecker(t).WithViolations(func(v contract.Violation) []byte {
		mu.Lock()
		bad = append(bad, v)
		mu.Unlock()
		return nil
	})
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
