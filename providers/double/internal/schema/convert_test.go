package schema

import (
	"encoding/json"
	"testing"

	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

func TestParseType(t *testing.T) {
	for raw, want := range map[string]ctyType{
		`"string"`:          {Primitive: "string"},
		`["list","string"]`: {Kind: "list", Elem: &ctyType{Primitive: "string"}},
		`["map","number"]`:  {Kind: "map", Elem: &ctyType{Primitive: "number"}},
		`["set","bool"]`:    {Kind: "set", Elem: &ctyType{Primitive: "bool"}},
	} {
		got, err := parseType(json.RawMessage(raw))
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if got.Primitive != want.Primitive || got.Kind != want.Kind || (want.Elem != nil && got.Elem.Primitive != want.Elem.Primitive) {
			t.Errorf("%s: got %+v", raw, got)
		}
	}
	for _, bad := range []string{`"dynamic"`, `["list",["list","string"]]`, `["object",{}]`} {
		if _, err := parseType(json.RawMessage(bad)); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestEmbeddedSchemaConverts(t *testing.T) {
	ps, err := Fly()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ProviderConfigSchema(ps.Provider.Block); err != nil {
		t.Fatal(err)
	}
	if len(ps.ResourceSchemas) != 7 {
		t.Fatalf("want 7 resources, got %d", len(ps.ResourceSchemas))
	}
	for name, sv := range ps.ResourceSchemas {
		s, err := ResourceSchema(sv, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Version != sv.Version {
			t.Errorf("%s: version %d, want %d", name, s.Version, sv.Version)
		}
	}
}

func TestRulesAttachAndTyposFail(t *testing.T) {
	ps, err := Fly()
	if err != nil {
		t.Fatal(err)
	}
	vol := ps.ResourceSchemas["fly_volume"]
	s, err := ResourceSchema(vol, Rules{"compute.cpu_kind": {RequiresReplace: true}, "encrypted": {Default: true}})
	if err != nil {
		t.Fatal(err)
	}
	ck := s.Blocks["compute"].(rschema.SingleNestedBlock).Attributes["cpu_kind"].(rschema.StringAttribute)
	if len(ck.PlanModifiers) != 1 {
		t.Errorf("compute.cpu_kind: want RequiresReplace, got %d modifiers", len(ck.PlanModifiers))
	}
	if cpus := s.Blocks["compute"].(rschema.SingleNestedBlock).Attributes["cpus"].(rschema.Int64Attribute); len(cpus.PlanModifiers) != 0 {
		t.Errorf("compute.cpus must carry no modifier")
	}
	if enc := s.Attributes["encrypted"].(rschema.BoolAttribute); enc.Default == nil {
		t.Errorf("encrypted: default missing")
	}
	if _, err := ResourceSchema(vol, Rules{"compute.cpu_knd": {RequiresReplace: true}}); err == nil {
		t.Errorf("a rule on an unknown path must fail")
	}
	if _, err := ResourceSchema(vol, Rules{"size_gb": {Default: "x"}}); err == nil {
		t.Errorf("a default of the wrong type must fail")
	}
	sec, err := ResourceSchema(ps.ResourceSchemas["fly_secret"], nil)
	if err != nil {
		t.Fatal(err)
	}
	if wo := sec.Attributes["value_wo"].(rschema.StringAttribute); !wo.WriteOnly || !wo.Sensitive {
		t.Errorf("value_wo must stay write-only and sensitive")
	}
}
