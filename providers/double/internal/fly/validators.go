package fly

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Small stand-ins for the terraform-plugin-framework-validators the real
// provider uses (stringvalidator.OneOf/LengthAtLeast/ExactlyOneOf,
// listvalidator.SizeAtMost). Messages follow those validators' wording.

type oneOf []string

func (v oneOf) Description(context.Context) string {
	return fmt.Sprintf("value must be one of: %q", []string(v))
}
func (v oneOf) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v oneOf) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, s := range v {
		if req.ConfigValue.ValueString() == s {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value Match",
		fmt.Sprintf("Attribute %s %s, got: %q", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
}

func oneOfV(values ...string) []validator.String { return []validator.String{oneOf(values)} }

type minLength int

func (v minLength) Description(context.Context) string {
	return fmt.Sprintf("string length must be at least %d", int(v))
}
func (v minLength) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v minLength) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if len(req.ConfigValue.ValueString()) < int(v) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value Length",
			fmt.Sprintf("Attribute %s %s, got: %d", req.Path, v.Description(ctx), len(req.ConfigValue.ValueString())))
	}
}

var lengthAtLeast1 = []validator.String{minLength(1)}

// exactlyOneSibling mirrors stringvalidator.ExactlyOneOf(raw_value, secret_name)
// on a file block's raw_value.
type exactlyOneSibling []string

func (v exactlyOneSibling) Description(context.Context) string {
	return fmt.Sprintf("Exactly one of these attributes must be configured: [%s]", strings.Join(v, ","))
}
func (v exactlyOneSibling) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v exactlyOneSibling) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	parent := req.Path.ParentPath()
	count := 0
	for _, name := range v {
		var val attr.Value
		diags := req.Config.GetAttribute(ctx, parent.AtName(name), &val)
		if diags.HasError() {
			return
		}
		if val == nil {
			continue
		}
		if val.IsUnknown() {
			return
		}
		if !val.IsNull() {
			count++
		}
	}
	if count != 1 {
		names := make([]string, len(v))
		for i, n := range v {
			names[i] = parent.AtName(n).String()
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Combination",
			fmt.Sprintf("Exactly one of these attributes must be configured: [%s]", strings.Join(names, ",")))
	}
}

// sizeAtMost mirrors listvalidator.SizeAtMost.
type sizeAtMost int

func (v sizeAtMost) Description(context.Context) string {
	return fmt.Sprintf("list must contain at most %d elements", int(v))
}
func (v sizeAtMost) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v sizeAtMost) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := len(req.ConfigValue.Elements()); n > int(v) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
			fmt.Sprintf("Attribute %s %s, got: %d", req.Path, v.Description(ctx), n))
	}
}

// exactlyOneTransport mirrors resource_machine.go exactlyOneTransport on a
// container healthcheck object: exactly one of tcp, http, exec.
type exactlyOneTransport struct{}

var healthcheckTransports = []string{"tcp", "http", "exec"}

func (exactlyOneTransport) Description(context.Context) string {
	return "exactly one of " + strings.Join(healthcheckTransports, ", ") + " must be set"
}
func (v exactlyOneTransport) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (exactlyOneTransport) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	var set []string
	for _, name := range healthcheckTransports {
		v, ok := attrs[name]
		if !ok || v.IsUnknown() {
			return
		}
		if !v.IsNull() {
			set = append(set, name)
		}
	}
	switch len(set) {
	case 1:
	case 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Missing Healthcheck Transport",
			fmt.Sprintf("A healthcheck declares exactly one of %s. This one declares none, so nothing would probe the container.",
				strings.Join(healthcheckTransports, ", ")))
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Conflicting Healthcheck Transports",
			fmt.Sprintf("A healthcheck declares exactly one of %s. This one declares %s and %s.",
				strings.Join(healthcheckTransports, ", "), strings.Join(set[:len(set)-1], ", "), set[len(set)-1]))
	}
}

var (
	_ = types.StringType
	_ = path.Root
)
