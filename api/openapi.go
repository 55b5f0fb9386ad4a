package api

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"gopkg.in/yaml.v3"
)

// openapiFS holds the OpenAPI document in parts: 00-base.yaml (info,
// components) and one file of paths per resource.
//
//go:embed openapi/*.yaml
var openapiFS embed.FS

// OpenAPI merges the parts into one OpenAPI 3 document.
func OpenAPI() ([]byte, error) {
	names, err := fs.Glob(openapiFS, "openapi/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var doc map[string]any
	for _, name := range names {
		raw, err := openapiFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := yaml.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if doc == nil {
			doc = part
			continue
		}
		if err := mergeInto(doc, part, name); err != nil {
			return nil, err
		}
	}
	return yaml.Marshal(doc)
}

// mergeInto adds part's maps into doc; a key defined twice is an error.
func mergeInto(doc, part map[string]any, where string) error {
	for k, v := range part {
		cur, exists := doc[k]
		if !exists {
			doc[k] = v
			continue
		}
		cm, ok1 := cur.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("%s: %q is defined twice", where, k)
		}
		if err := mergeInto(cm, vm, where+"/"+k); err != nil {
			return err
		}
	}
	return nil
}
