package main

import (
	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the name the generators stamp into each file's "do not edit" header.
const tool = "envstack sdkgen"

// language is one SDK: the folder name under sdk/ and Pulumi's generator for it.
type language struct {
	name     string
	generate func(*schema.Package) (map[string][]byte, error)
}

// languages lists the SDKs in the order they are written. The argument lists
// follow the generators' signatures at pkg v3.259.0 and pulumi-language-dotnet
// v3.110.0; no extra files and no local dependencies are passed, so the
// schema is the only input.
var languages = []language{
	{"python", func(p *schema.Package) (map[string][]byte, error) {
		return pythongen.GeneratePackage(tool, p, nil, referenceLoader)
	}},
	{"nodejs", func(p *schema.Package) (map[string][]byte, error) {
		return nodejsgen.GeneratePackage(tool, p, nil, nil, false, referenceLoader)
	}},
	{"go", func(p *schema.Package) (map[string][]byte, error) {
		return gogen.GeneratePackage(tool, p, nil)
	}},
	{"dotnet", func(p *schema.Package) (map[string][]byte, error) {
		return dotnetgen.GeneratePackage(tool, p, nil, nil)
	}},
}

func languageNames() []string {
	names := make([]string, len(languages))
	for i, l := range languages {
		names[i] = l.name
	}
	return names
}

func languageByName(name string) (language, bool) {
	for _, l := range languages {
		if l.name == name {
			return l, true
		}
	}
	return language{}, false
}
