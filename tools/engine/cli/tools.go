//go:build tools

// Package cli pins the Pulumi CLI that the real-engine tests, the demo and
// the benchmarks run. `make engine` builds it from this module's go.sum.
package cli

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
