// Command sdkgen-java runs Pulumi's Java code generator
// (github.com/pulumi/pulumi-java/pkg/codegen/java) on a package schema and
// prints the files it generates as one JSON object, path to contents.
//
// It is its own module because pulumi-java v1.16.0 is written against
// github.com/pulumi/pulumi/pkg/v3 v3.182.0 and does not compile against the
// v3.274.1 that tools/sdkgen uses for the other languages. tools/sdkgen runs
// this binary for `-lang java` and writes sdk/java like every other SDK, so
// the writing, the drift check and `make sdks` are the same for all five.
//
// Usage:
//
//	sdkgen-java -schema schema.json > files.json
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/blang/semver"
	javagen "github.com/pulumi/pulumi-java/pkg/codegen/java"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the name the generator stamps into each file's "do not edit" header;
// the same as tools/sdkgen's.
const tool = "envstack sdkgen"

func main() {
	schemaPath := flag.String("schema", "schema.json", "path of the package schema to generate from")
	flag.Parse()

	files, err := generate(*schemaPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen-java:", err)
		os.Exit(1)
	}
	// []byte values encode as base64, so any file content survives the trip.
	if err := json.NewEncoder(os.Stdout).Encode(files); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen-java:", err)
		os.Exit(1)
	}
}

// generate does what pulumi-language-java's GeneratePackage does with a
// schema: deduplicate types that differ only in case, bind, and call the
// generator as a non-local package with no extra files and no local
// dependencies, so the schema is the only input.
func generate(schemaPath string) (map[string][]byte, error) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("reading schema: %w", err)
	}
	deduped, diags, err := javagen.DeduplicateTypes(&spec)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	pkg, bindDiags, err := schema.BindSpec(*deduped, noDependencies{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if bindDiags.HasErrors() {
		return nil, bindDiags
	}
	for _, d := range append(diags, bindDiags...) {
		fmt.Fprintln(os.Stderr, "sdkgen-java: schema:", d.Error())
	}
	return javagen.GeneratePackage(tool, pkg, nil, nil, false, false)
}

// noDependencies is the loader the schema is bound with. envstack's schema
// declares no other package, so any request is an error rather than a silent
// download attempt (pkg v3.182.0 has no null loader of its own).
type noDependencies struct{}

var errNoDependencies = errors.New("envstack's schema declares no package dependencies; nothing may be loaded")

func (noDependencies) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errNoDependencies
}

func (noDependencies) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoDependencies
}
