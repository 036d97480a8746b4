package schema

import (
	"encoding/json"
	"fmt"
)

// Document is the subset of `terraform providers schema -json` the double reads.
type Document struct {
	FormatVersion   string                    `json:"format_version"`
	ProviderSchemas map[string]ProviderSchema `json:"provider_schemas"`
}

type ProviderSchema struct {
	Provider        SchemaVersion            `json:"provider"`
	ResourceSchemas map[string]SchemaVersion `json:"resource_schemas"`
}

type SchemaVersion struct {
	Version int64 `json:"version"`
	Block   Block `json:"block"`
}

type Block struct {
	Attributes      map[string]Attribute `json:"attributes"`
	BlockTypes      map[string]BlockType `json:"block_types"`
	Description     string               `json:"description"`
	DescriptionKind string               `json:"description_kind"`
	Deprecated      bool                 `json:"deprecated"`
}

type Attribute struct {
	Type            json.RawMessage `json:"type"`
	NestedType      *NestedType     `json:"nested_type"`
	Description     string          `json:"description"`
	DescriptionKind string          `json:"description_kind"`
	Required        bool            `json:"required"`
	Optional        bool            `json:"optional"`
	Computed        bool            `json:"computed"`
	Sensitive       bool            `json:"sensitive"`
	WriteOnly       bool            `json:"write_only"`
	Deprecated      bool            `json:"deprecated"`
}

type NestedType struct {
	Attributes  map[string]Attribute `json:"attributes"`
	NestingMode string               `json:"nesting_mode"`
}

type BlockType struct {
	NestingMode string `json:"nesting_mode"`
	Block       Block  `json:"block"`
	MinItems    int64  `json:"min_items"`
	MaxItems    int64  `json:"max_items"`
}

// Parse decodes a schema document.
func Parse(data []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("decode provider schema document: %w", err)
	}
	return &d, nil
}

// Fly returns the fly provider's entry in the embedded document.
func Fly() (*ProviderSchema, error) {
	d, err := Parse(FlySchemaJSON)
	if err != nil {
		return nil, err
	}
	ps, ok := d.ProviderSchemas[FlyProviderAddress]
	if !ok {
		return nil, fmt.Errorf("schema document has no %s", FlyProviderAddress)
	}
	return &ps, nil
}

// ctyType is a decoded cty JSON type: "string", ["list","string"], ...
type ctyType struct {
	Primitive string
	Kind      string // list, set, map ("" for primitives)
	Elem      *ctyType
}

func parseType(raw json.RawMessage) (ctyType, error) {
	var prim string
	if err := json.Unmarshal(raw, &prim); err == nil {
		switch prim {
		case "string", "number", "bool":
			return ctyType{Primitive: prim}, nil
		}
		return ctyType{}, fmt.Errorf("unsupported primitive type %q", prim)
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return ctyType{}, fmt.Errorf("unsupported type %s", string(raw))
	}
	var kind string
	if err := json.Unmarshal(pair[0], &kind); err != nil {
		return ctyType{}, fmt.Errorf("unsupported type %s", string(raw))
	}
	switch kind {
	case "list", "set", "map":
	default:
		return ctyType{}, fmt.Errorf("unsupported collection kind %q", kind)
	}
	elem, err := parseType(pair[1])
	if err != nil {
		return ctyType{}, err
	}
	if elem.Kind != "" {
		return ctyType{}, fmt.Errorf("nested collections are not supported: %s", string(raw))
	}
	return ctyType{Kind: kind, Elem: &elem}, nil
}
