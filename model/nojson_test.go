package model_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestModelKnowsNoJSON keeps the wire format out of the domain: no struct
// field in a non-test file of model carries a json tag, and no file imports
// encoding/json (api owns the JSON; stores and caches own their encodings).
func TestModelKnowsNoJSON(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			if imp.Path.Value == `"encoding/json"` {
				t.Errorf("%s imports encoding/json: model knows no JSON", name)
			}
		}
		if f, err = parser.ParseFile(fset, name, src, 0); err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			field, ok := n.(*ast.Field)
			if !ok || field.Tag == nil {
				return true
			}
			tag := reflect.StructTag(strings.Trim(field.Tag.Value, "`"))
			if _, has := tag.Lookup("json"); has || strings.Contains(field.Tag.Value, `json:"`) {
				t.Errorf("%s: json struct tag %s: model knows no JSON, put it on an api DTO", fset.Position(field.Pos()), field.Tag.Value)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked only %d files: is the test running in model/?", checked)
	}
}
