package model

import (
	"strings"
	"testing"
)

func TestOpen311StatusMapping(t *testing.T) {
	open, err := Open311Statuses("open")
	if err != nil || len(open) != 3 {
		t.Fatalf("open = %v, %v", open, err)
	}
	closed, err := Open311Statuses("closed")
	if err != nil || len(closed) != 4 {
		t.Fatalf("closed = %v, %v", closed, err)
	}
	for _, s := range closed {
		if s.Open() || Open311State(s) != "closed" {
			t.Errorf("%s maps to %s", s, Open311State(s))
		}
	}
	if _, err := Open311Statuses("pending"); !IsCode(err, CodeInvalidArgument) {
		t.Fatalf("pending: %v", err)
	}
}

func TestAnswerAttributes(t *testing.T) {
	defs := []ServiceAttribute{
		{Code: "kind", Datatype: AttrSingleList, Variable: true, Required: true, Description: "类型",
			Values: []AttrValue{{"a", "甲"}, {"b", "乙"}}},
		{Code: "many", Datatype: AttrMultiList, Variable: true, Description: "多选", Values: []AttrValue{{"x", "X"}, {"y", "Y"}}},
		{Code: "n", Datatype: AttrNumber, Variable: true, Description: "数量"},
		{Code: "note", Datatype: AttrString, Description: "仅说明"},
	}
	if err := ValidateAttributes(defs); err != nil {
		t.Fatal(err)
	}
	lines, err := AnswerAttributes(defs, map[string][]string{"kind": {"b"}, "many": {"y", "x", "y"}, "n": {"-2.5"}})
	if err != nil || strings.Join(lines, "|") != "类型：乙|多选：Y、X|数量：-2.5" {
		t.Fatalf("lines %v, %v", lines, err)
	}
	for name, given := range map[string]map[string][]string{
		"required missing":   {"n": {"1"}},
		"two on single list": {"kind": {"a", "b"}},
		"not a choice":       {"kind": {"c"}},
		"not a number":       {"kind": {"a"}, "n": {"1,5"}},
		"informational":      {"kind": {"a"}, "note": {"hi"}},
		"unknown":            {"kind": {"a"}, "zzz": {"1"}},
	} {
		if _, err := AnswerAttributes(defs, given); !IsCode(err, CodeInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateMediaURL(t *testing.T) {
	for _, ok := range []string{"", "http://a.example/x.jpg", "https://a.example:8443/p?q=1"} {
		if _, err := ValidateMediaURL(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"ftp://a/x", "javascript:alert(1)", "//a.example/x", "https://user:pw@a.example/x",
		"https://" + strings.Repeat("a", MaxMediaURL)} {
		if _, err := ValidateMediaURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
