package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// bind validates the schema against Pulumi's metaschema and binds it into the
// package model the generators consume. envstack depends on no other package,
// so the null loader suffices; it fails loudly if a dependency ever appears.
func bind(raw []byte) (*schema.Package, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("reading schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, schema.NewNullLoader(), schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	// Warnings do not stop generation, but whoever runs `make sdks` should see them.
	for _, d := range diags {
		fmt.Fprintln(os.Stderr, "sdkgen: schema:", d.Error())
	}
	return pkg, nil
}

// noDependencies is the reference loader the Python and Node.js generators
// take to resolve the packages a schema depends on. envstack has none, so any
// request is an error rather than a silent download attempt.
type noDependencies struct{ schema.Loader }

var errNoDependencies = errors.New("envstack's schema declares no package dependencies; nothing may be loaded")

func (noDependencies) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoDependencies
}

func (noDependencies) LoadPackageReferenceV2(
	context.Context, *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, errNoDependencies
}

var referenceLoader schema.ReferenceLoader = noDependencies{schema.NewNullLoader()}
