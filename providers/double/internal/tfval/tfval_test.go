package tfval

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestRoundTrip(t *testing.T) {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "n": tftypes.Number, "b": tftypes.Bool,
		"l": tftypes.List{ElementType: tftypes.String},
		"m": tftypes.Map{ElementType: tftypes.String},
		"o": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"x": tftypes.Number}},
		"u": tftypes.String, "z": tftypes.String,
	}}
	in := Obj{"s": "a", "n": int64(3), "b": true, "l": []any{"x", "y"}, "m": map[string]any{"k": "v"},
		"o": map[string]any{"x": int64(1)}, "u": Unknown{}}
	v, err := FromGo(typ, in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ToObj(v)
	if err != nil {
		t.Fatal(err)
	}
	in["z"] = nil
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip:\n got %#v\nwant %#v", out, in)
	}
	if _, err := FromGo(typ, Obj{"nope": "x"}); err == nil {
		t.Errorf("unknown attribute must fail")
	}
	if Known(out, "u") || Known(out, "z") || !Known(out, "s") {
		t.Errorf("Known misreports null/unknown")
	}
}
