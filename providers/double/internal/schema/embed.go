// Package schema turns the committed provider schema (providers/fly.schema.json,
// in `terraform providers schema -json` format) into plugin-framework schemas.
//
// fly.schema.json in this directory is a build-time copy made by
// scripts/build-provider-double.sh (it is gitignored): Go's embed cannot reach
// ../../../fly.schema.json. Run the script once before `go test ./...`.
package schema

import _ "embed"

//go:embed fly.schema.json
var FlySchemaJSON []byte

// FlyProviderAddress is the key of the fly provider in the schema document.
const FlyProviderAddress = "registry.terraform.io/ampbase-io/fly"
