// Command openapi prints the merged OpenAPI document the server serves at
// /openapi.yaml (api/openapi/*.yaml), for tools that generate client types.
package main

import (
	"fmt"
	"os"

	"zhilian/api"
)

func main() {
	doc, err := api.OpenAPI()
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
	_, _ = os.Stdout.Write(doc)
}
