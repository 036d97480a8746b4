// Command terraform-provider-fly serves the ampbase-io/fly test double.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/flystack/provider-double/internal/fly"
)

var version = "0.2.0"

func main() {
	p, err := fly.New(version)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fly provider double:", err)
		os.Exit(1)
	}
	err = providerserver.Serve(context.Background(), func() provider.Provider { return p },
		providerserver.ServeOpts{Address: "registry.terraform.io/ampbase-io/fly"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
