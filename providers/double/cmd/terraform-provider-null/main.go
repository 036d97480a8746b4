// Command terraform-provider-null serves the hashicorp/null test double.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/flystack/provider-double/internal/null"
)

var version = "3.2.4"

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return null.New(version) },
		providerserver.ServeOpts{Address: "registry.terraform.io/hashicorp/null"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
