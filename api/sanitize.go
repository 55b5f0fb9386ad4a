package api

import (
	"reflect"
	"strings"
)

// CleanText removes from free text what can hide or disguise it: C0 control
// characters except tab and newline (NUL, ESC, CR…), DEL and the C1 controls,
// and the Unicode bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) that make text read backwards in the cadre
// view. Everything else stays: emoji (with their joiners), CJK, quotes.
func CleanText(s string) string {
	if strings.IndexFunc(s, unwanted) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unwanted(r) {
			return -1
		}
		return r
	}, s)
}

func unwanted(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// cleanStrings applies CleanText to every string a decoded body holds:
// fields, pointers, slices, arrays, map values, nested structs. bindJSON
// calls it on every request DTO, so no handler stores such characters. A
// field tagged `clean:"-"` is left as sent: secrets and tokens (passwords,
// WeChat codes) are validated whole, never silently changed.
func cleanStrings(v any) { cleanValue(reflect.ValueOf(v)) }

func cleanValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			e := v.Elem()
			if v.Kind() == reflect.Interface && e.Kind() == reflect.String {
				if s := e.String(); CleanText(s) != s && v.CanSet() {
					v.Set(reflect.ValueOf(CleanText(s)).Convert(e.Type()))
				}
				return
			}
			cleanValue(e)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(CleanText(v.String()))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() && f.Tag.Get("clean") != "-" {
				cleanValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			cleanValue(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Interface && !e.IsNil() {
				e = e.Elem()
			}
			if e.Kind() == reflect.String {
				v.SetMapIndex(k, reflect.ValueOf(CleanText(e.String())).Convert(v.Type().Elem()))
			} else if e.Kind() == reflect.Map || e.Kind() == reflect.Slice || e.Kind() == reflect.Pointer {
				cleanValue(e)
			}
		}
	}
}
