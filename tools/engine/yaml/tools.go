//go:build tools

// Package yaml pins the Pulumi YAML language host. pulumi-yaml v1.25.0 is
// built against its own pkg/v3, which differs from the CLI's, so it has a
// module of its own.
package yaml

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
