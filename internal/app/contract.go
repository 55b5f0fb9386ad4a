package app

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"zhilian/api"
	"zhilian/internal/contract"
)

// contractChecked puts the contract check in front of h: an exchange the
// OpenAPI document does not allow is logged and answered with a 500 whose
// code is contract_violation, so the client test that caused it fails.
func contractChecked(h http.Handler, log *slog.Logger) (http.Handler, error) {
	spec, err := api.OpenAPI()
	if err != nil {
		return nil, fmt.Errorf("contract check: %w", err)
	}
	k, err := contract.New(spec, nil, func(v contract.Violation) []byte {
		log.Error("contract violation", "method", v.Method, "path", v.Path, "status", v.Status, "err", v.Err)
		body, _ := json.Marshal(map[string]string{"code": "contract_violation", "msg": v.String(), "request_id": ""})
		return body
	})
	if err != nil {
		return nil, fmt.Errorf("contract check: %w", err)
	}
	log.Warn("contract check on: every API exchange is validated against the OpenAPI document")
	return k.Wrap(h), nil
}
