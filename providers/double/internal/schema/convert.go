package schema

import (
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ProviderSchema converts the provider configuration block. Only primitive
// attributes are supported (all the fly provider has).
func ProviderConfigSchema(b Block) (pschema.Schema, error) {
	out := pschema.Schema{Attributes: map[string]pschema.Attribute{}}
	out.Description, out.MarkdownDescription = descriptions(b.Description, b.DescriptionKind)
	for name, a := range b.Attributes {
		t, err := parseType(a.Type)
		if err != nil {
			return out, fmt.Errorf("provider.%s: %w", name, err)
		}
		d, md := descriptions(a.Description, a.DescriptionKind)
		switch {
		case t.Primitive == "string":
			out.Attributes[name] = pschema.StringAttribute{Required: a.Required, Optional: a.Optional, Sensitive: a.Sensitive, Description: d, MarkdownDescription: md}
		case t.Primitive == "number":
			out.Attributes[name] = pschema.Int64Attribute{Required: a.Required, Optional: a.Optional, Sensitive: a.Sensitive, Description: d, MarkdownDescription: md}
		case t.Primitive == "bool":
			out.Attributes[name] = pschema.BoolAttribute{Required: a.Required, Optional: a.Optional, Sensitive: a.Sensitive, Description: d, MarkdownDescription: md}
		default:
			return out, fmt.Errorf("provider.%s: unsupported provider attribute type", name)
		}
	}
	return out, nil
}

// ResourceSchema converts one resource schema from the JSON document, adding
// the plan modifiers, defaults and validators in rules. Every rule must match
// an attribute or block, so a typo in a rule path fails loudly.
func ResourceSchema(sv SchemaVersion, rules Rules) (rschema.Schema, error) {
	c := converter{rules: rules, used: map[string]bool{}}
	out := rschema.Schema{Version: sv.Version}
	out.Description, out.MarkdownDescription = descriptions(sv.Block.Description, sv.Block.DescriptionKind)
	if sv.Block.Deprecated {
		out.DeprecationMessage = "deprecated"
	}
	attrs, blocks, err := c.block("", sv.Block)
	if err != nil {
		return out, err
	}
	out.Attributes, out.Blocks = attrs, blocks
	var unused []string
	for p := range rules {
		if !c.used[p] {
			unused = append(unused, p)
		}
	}
	if len(unused) > 0 {
		sort.Strings(unused)
		return out, fmt.Errorf("rules for unknown paths: %v", unused)
	}
	return out, nil
}

type converter struct {
	rules Rules
	used  map[string]bool
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func descriptions(d, kind string) (string, string) {
	if kind == "markdown" {
		return "", d
	}
	return d, ""
}

func (c *converter) rule(p string) Rule {
	r, ok := c.rules[p]
	if ok {
		c.used[p] = true
	}
	return r
}

func (c *converter) block(prefix string, b Block) (map[string]rschema.Attribute, map[string]rschema.Block, error) {
	attrs := map[string]rschema.Attribute{}
	for name, a := range b.Attributes {
		ra, err := c.attribute(join(prefix, name), a)
		if err != nil {
			return nil, nil, err
		}
		attrs[name] = ra
	}
	var blocks map[string]rschema.Block
	if len(b.BlockTypes) > 0 {
		blocks = map[string]rschema.Block{}
	}
	for name, bt := range b.BlockTypes {
		p := join(prefix, name)
		r := c.rule(p)
		inner, innerBlocks, err := c.block(p, bt.Block)
		if err != nil {
			return nil, nil, err
		}
		d, md := descriptions(bt.Block.Description, bt.Block.DescriptionKind)
		if bt.MinItems != 0 || bt.MaxItems != 0 {
			return nil, nil, fmt.Errorf("%s: min_items/max_items cannot be expressed by framework blocks", p)
		}
		if r.RequiresReplace || r.UseStateForUnknown || r.Default != nil || len(r.StringModifiers)+len(r.StringValidators) > 0 {
			return nil, nil, fmt.Errorf("%s: unsupported rule on a block", p)
		}
		switch bt.NestingMode {
		case "single":
			if len(r.ListValidators) > 0 {
				return nil, nil, fmt.Errorf("%s: list validators on a single block", p)
			}
			blocks[name] = rschema.SingleNestedBlock{Attributes: inner, Blocks: innerBlocks, Description: d, MarkdownDescription: md, Validators: r.ObjectValidators}
		case "list":
			blocks[name] = rschema.ListNestedBlock{
				NestedObject: rschema.NestedBlockObject{Attributes: inner, Blocks: innerBlocks, Validators: r.ObjectValidators},
				Description:  d, MarkdownDescription: md, Validators: r.ListValidators,
			}
		case "set":
			blocks[name] = rschema.SetNestedBlock{
				NestedObject: rschema.NestedBlockObject{Attributes: inner, Blocks: innerBlocks, Validators: r.ObjectValidators},
				Description:  d, MarkdownDescription: md,
			}
		default:
			return nil, nil, fmt.Errorf("%s: unsupported nesting mode %q", p, bt.NestingMode)
		}
	}
	return attrs, blocks, nil
}

func (c *converter) attribute(p string, a Attribute) (rschema.Attribute, error) {
	r := c.rule(p)
	d, md := descriptions(a.Description, a.DescriptionKind)
	dep := ""
	if a.Deprecated {
		dep = "deprecated"
	}
	if a.NestedType != nil {
		if a.NestedType.NestingMode != "single" {
			return nil, fmt.Errorf("%s: unsupported nested attribute nesting mode %q", p, a.NestedType.NestingMode)
		}
		inner := map[string]rschema.Attribute{}
		for name, na := range a.NestedType.Attributes {
			ra, err := c.attribute(join(p, name), na)
			if err != nil {
				return nil, err
			}
			inner[name] = ra
		}
		if r.RequiresReplace || r.UseStateForUnknown || r.Default != nil {
			return nil, fmt.Errorf("%s: unsupported rule on a nested attribute", p)
		}
		return rschema.SingleNestedAttribute{Attributes: inner, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: d, MarkdownDescription: md, DeprecationMessage: dep, Validators: r.ObjectValidators}, nil
	}
	t, err := parseType(a.Type)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if t.Primitive != "string" && (len(r.StringModifiers) > 0 || len(r.StringValidators) > 0) {
		return nil, fmt.Errorf("%s: string rule on a %s attribute", p, t.Primitive+t.Kind)
	}
	if t.Kind != "list" && len(r.ListValidators) > 0 {
		return nil, fmt.Errorf("%s: list validator on a non-list attribute", p)
	}
	switch t.Kind {
	case "":
		return c.primitive(p, t.Primitive, a, r, d, md, dep)
	case "list":
		var mods []planmodifier.List
		if r.RequiresReplace {
			mods = append(mods, listplanmodifier.RequiresReplace())
		}
		if r.UseStateForUnknown {
			mods = append(mods, listplanmodifier.UseStateForUnknown())
		}
		if r.Default != nil {
			return nil, fmt.Errorf("%s: defaults on collections are not supported", p)
		}
		return rschema.ListAttribute{ElementType: elemType(*t.Elem), Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, WriteOnly: a.WriteOnly, Description: d, MarkdownDescription: md, DeprecationMessage: dep,
			PlanModifiers: mods, Validators: r.ListValidators}, nil
	case "set":
		var mods []planmodifier.Set
		if r.RequiresReplace {
			mods = append(mods, setplanmodifier.RequiresReplace())
		}
		if r.UseStateForUnknown {
			mods = append(mods, setplanmodifier.UseStateForUnknown())
		}
		if r.Default != nil {
			return nil, fmt.Errorf("%s: defaults on collections are not supported", p)
		}
		if a.WriteOnly {
			return nil, fmt.Errorf("%s: write-only sets are not supported by the framework", p)
		}
		return rschema.SetAttribute{ElementType: elemType(*t.Elem), Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: d, MarkdownDescription: md, DeprecationMessage: dep, PlanModifiers: mods}, nil
	case "map":
		var mods []planmodifier.Map
		if r.RequiresReplace {
			mods = append(mods, mapplanmodifier.RequiresReplace())
		}
		if r.UseStateForUnknown {
			mods = append(mods, mapplanmodifier.UseStateForUnknown())
		}
		if r.Default != nil {
			return nil, fmt.Errorf("%s: defaults on collections are not supported", p)
		}
		return rschema.MapAttribute{ElementType: elemType(*t.Elem), Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, WriteOnly: a.WriteOnly, Description: d, MarkdownDescription: md, DeprecationMessage: dep, PlanModifiers: mods}, nil
	}
	return nil, fmt.Errorf("%s: unsupported type", p)
}

func elemType(t ctyType) attr.Type {
	switch t.Primitive {
	case "number":
		return types.Int64Type
	case "bool":
		return types.BoolType
	default:
		return types.StringType
	}
}

func (c *converter) primitive(p, prim string, a Attribute, r Rule, d, md, dep string) (rschema.Attribute, error) {
	switch prim {
	case "string":
		var mods []planmodifier.String
		if r.RequiresReplace {
			mods = append(mods, stringplanmodifier.RequiresReplace())
		}
		if r.UseStateForUnknown {
			mods = append(mods, stringplanmodifier.UseStateForUnknown())
		}
		mods = append(mods, r.StringModifiers...)
		at := rschema.StringAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			WriteOnly: a.WriteOnly, Description: d, MarkdownDescription: md, DeprecationMessage: dep, PlanModifiers: mods, Validators: r.StringValidators}
		if r.Default != nil {
			v, ok := r.Default.(string)
			if !ok {
				return nil, fmt.Errorf("%s: default %v is not a string", p, r.Default)
			}
			at.Default = stringdefault.StaticString(v)
		}
		return at, nil
	case "number":
		var mods []planmodifier.Int64
		if r.RequiresReplace {
			mods = append(mods, int64planmodifier.RequiresReplace())
		}
		if r.UseStateForUnknown {
			mods = append(mods, int64planmodifier.UseStateForUnknown())
		}
		at := rschema.Int64Attribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			WriteOnly: a.WriteOnly, Description: d, MarkdownDescription: md, DeprecationMessage: dep, PlanModifiers: mods}
		if r.Default != nil {
			v, ok := r.Default.(int64)
			if !ok {
				return nil, fmt.Errorf("%s: default %v is not an int64", p, r.Default)
			}
			at.Default = int64default.StaticInt64(v)
		}
		return at, nil
	case "bool":
		var mods []planmodifier.Bool
		if r.RequiresReplace {
			mods = append(mods, boolplanmodifier.RequiresReplace())
		}
		if r.UseStateForUnknown {
			mods = append(mods, boolplanmodifier.UseStateForUnknown())
		}
		at := rschema.BoolAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			WriteOnly: a.WriteOnly, Description: d, MarkdownDescription: md, DeprecationMessage: dep, PlanModifiers: mods}
		if r.Default != nil {
			v, ok := r.Default.(bool)
			if !ok {
				return nil, fmt.Errorf("%s: default %v is not a bool", p, r.Default)
			}
			at.Default = booldefault.StaticBool(v)
		}
		return at, nil
	}
	return nil, fmt.Errorf("%s: unsupported primitive %q", p, prim)
}
