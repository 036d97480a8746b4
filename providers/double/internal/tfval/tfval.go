// Package tfval converts between tftypes.Value and plain Go values so that
// resources can work on map[string]any objects built from a schema that is
// only known at run time.
//
// Mapping: null -> nil, unknown -> Unknown{}, string -> string,
// number -> int64 (or float64 when not integral), bool -> bool,
// list/set/tuple -> []any, map/object -> map[string]any.
package tfval

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Unknown marks a value not known until apply.
type Unknown struct{}

// Obj is a decoded object.
type Obj = map[string]any

// ToGo decodes v.
func ToGo(v tftypes.Value) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.IsKnown() {
		return Unknown{}, nil
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, err
	case t.Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		return b, err
	case t.Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return nil, err
		}
		if f.IsInt() {
			i, _ := f.Int64()
			return i, nil
		}
		x, _ := f.Float64()
		return x, nil
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		out := make([]any, len(elems))
		for i, e := range elems {
			g, err := ToGo(e)
			if err != nil {
				return nil, err
			}
			out[i] = g
		}
		return out, nil
	case t.Is(tftypes.Map{}), t.Is(tftypes.Object{}):
		var elems map[string]tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(elems))
		for k, e := range elems {
			g, err := ToGo(e)
			if err != nil {
				return nil, err
			}
			out[k] = g
		}
		return out, nil
	}
	return nil, fmt.Errorf("tfval: unsupported type %s", t)
}

// ToObj decodes an object value; a null object decodes to nil.
func ToObj(v tftypes.Value) (Obj, error) {
	g, err := ToGo(v)
	if err != nil || g == nil {
		return nil, err
	}
	o, ok := g.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("tfval: value is not an object")
	}
	return o, nil
}

// FromGo encodes g as a value of type t. Missing object attributes are null.
func FromGo(t tftypes.Type, g any) (tftypes.Value, error) {
	if g == nil {
		return tftypes.NewValue(t, nil), nil
	}
	if _, ok := g.(Unknown); ok {
		return tftypes.NewValue(t, tftypes.UnknownValue), nil
	}
	switch {
	case t.Is(tftypes.String):
		s, ok := g.(string)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("tfval: %T is not a string", g)
		}
		return tftypes.NewValue(t, s), nil
	case t.Is(tftypes.Bool):
		b, ok := g.(bool)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("tfval: %T is not a bool", g)
		}
		return tftypes.NewValue(t, b), nil
	case t.Is(tftypes.Number):
		switch n := g.(type) {
		case int:
			return tftypes.NewValue(t, new(big.Float).SetInt64(int64(n))), nil
		case int64:
			return tftypes.NewValue(t, new(big.Float).SetInt64(n)), nil
		case float64:
			return tftypes.NewValue(t, big.NewFloat(n)), nil
		case *big.Float:
			return tftypes.NewValue(t, n), nil
		}
		return tftypes.Value{}, fmt.Errorf("tfval: %T is not a number", g)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		items, ok := g.([]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("tfval: %T is not a list", g)
		}
		var et tftypes.Type
		if l, ok := t.(tftypes.List); ok {
			et = l.ElementType
		} else {
			et = t.(tftypes.Set).ElementType
		}
		vals := make([]tftypes.Value, len(items))
		for i, it := range items {
			v, err := FromGo(et, it)
			if err != nil {
				return tftypes.Value{}, err
			}
			vals[i] = v
		}
		return tftypes.NewValue(t, vals), nil
	case t.Is(tftypes.Map{}):
		m, ok := g.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("tfval: %T is not a map", g)
		}
		et := t.(tftypes.Map).ElementType
		vals := make(map[string]tftypes.Value, len(m))
		for k, it := range m {
			v, err := FromGo(et, it)
			if err != nil {
				return tftypes.Value{}, err
			}
			vals[k] = v
		}
		return tftypes.NewValue(t, vals), nil
	case t.Is(tftypes.Object{}):
		m, ok := g.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("tfval: %T is not an object", g)
		}
		ot := t.(tftypes.Object)
		for k := range m {
			if _, ok := ot.AttributeTypes[k]; !ok {
				return tftypes.Value{}, fmt.Errorf("tfval: object has no attribute %q", k)
			}
		}
		names := make([]string, 0, len(ot.AttributeTypes))
		for k := range ot.AttributeTypes {
			names = append(names, k)
		}
		sort.Strings(names)
		vals := make(map[string]tftypes.Value, len(names))
		for _, k := range names {
			v, err := FromGo(ot.AttributeTypes[k], m[k])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", k, err)
			}
			vals[k] = v
		}
		return tftypes.NewValue(t, vals), nil
	}
	return tftypes.Value{}, fmt.Errorf("tfval: unsupported type %s", t)
}

// Accessors for decoded objects. Null and unknown read as the zero value.

func Str(o Obj, k string) string {
	s, _ := o[k].(string)
	return s
}

func Int(o Obj, k string) (int64, bool) {
	i, ok := o[k].(int64)
	return i, ok
}

func Bool(o Obj, k string) (bool, bool) {
	b, ok := o[k].(bool)
	return b, ok
}

// Known reports whether o[k] is set and known.
func Known(o Obj, k string) bool {
	v := o[k]
	if v == nil {
		return false
	}
	_, unk := v.(Unknown)
	return !unk
}

// Objs returns the objects of a list block (nil when null or unknown).
func Objs(o Obj, k string) []Obj {
	items, _ := o[k].([]any)
	out := make([]Obj, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Sub returns a single nested block or attribute (nil when null or unknown).
func Sub(o Obj, k string) Obj {
	m, _ := o[k].(map[string]any)
	return m
}

// Strings returns a list of strings (nil when null or unknown).
func Strings(o Obj, k string) []string {
	items, _ := o[k].([]any)
	var out []string
	for _, it := range items {
		s, _ := it.(string)
		out = append(out, s)
	}
	return out
}

// StringMap returns a map of strings (nil when null or unknown).
func StringMap(o Obj, k string) map[string]string {
	m, ok := o[k].(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for key, v := range m {
		s, _ := v.(string)
		out[key] = s
	}
	return out
}
