package schema

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Rule is what the JSON schema cannot carry but the real provider declares on
// an attribute or block: plan modifiers, a default, validators. Rules are keyed
// by the attribute's dotted path without list indices ("guest.cpus",
// "mount.readopt_on_host_migration").
type Rule struct {
	RequiresReplace    bool
	UseStateForUnknown bool
	// Default is a static default: string, int64 or bool.
	Default any

	// Extra plan modifiers and validators, by attribute kind. Ones that do not
	// match the attribute's kind are reported as an error by Convert.
	StringModifiers  []planmodifier.String
	StringValidators []validator.String
	ListValidators   []validator.List
	ObjectValidators []validator.Object
}

// Rules maps dotted paths to rules for one resource.
type Rules map[string]Rule
