package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the name the generators stamp into each file's "do not edit" header.
const tool = "envstack sdkgen"

// language is one SDK: the folder name under sdk/ and Pulumi's generator for
// it, which is either called on the bound package in this process or, for
// Java, run as its own program on the schema's bytes.
type language struct {
	name     string
	generate func(*schema.Package) (map[string][]byte, error)
	external func(raw []byte) (map[string][]byte, error)
}

// languages lists the SDKs in the order they are written. The argument lists
// follow the generators' signatures at pkg v3.274.1 and pulumi-language-dotnet
// v3.110.0 (and, in tools/sdkgen-java, pulumi-java v1.16.0); no extra files
// and no local dependencies are passed, so the schema is the only input.
var languages = []language{
	{name: "python", generate: func(p *schema.Package) (map[string][]byte, error) {
		return pythongen.GeneratePackage(tool, p, nil, referenceLoader)
	}},
	{name: "nodejs", generate: func(p *schema.Package) (map[string][]byte, error) {
		return nodejsgen.GeneratePackage(tool, p, nil, nil, false, referenceLoader)
	}},
	{name: "go", generate: func(p *schema.Package) (map[string][]byte, error) {
		return gogen.GeneratePackage(tool, p, nil)
	}},
	{name: "dotnet", generate: func(p *schema.Package) (map[string][]byte, error) {
		return dotnetgen.GeneratePackage(tool, p, nil, nil)
	}},
	{name: "java", external: generateJava},
}

// javaGenerator is the path of tools/sdkgen-java's binary: -java-gen, or
// sdkgen-java beside this executable (where `make sdkgen` puts both).
var javaGenerator string

func defaultJavaGenerator() string {
	self, err := os.Executable()
	if err != nil {
		return "sdkgen-java"
	}
	return filepath.Join(filepath.Dir(self), "sdkgen-java")
}

// generateJava runs sdkgen-java on the schema and decodes the files it prints.
func generateJava(raw []byte) (map[string][]byte, error) {
	cmd := exec.Command(javaGenerator, "-schema", "/dev/stdin")
	cmd.Stdin = bytes.NewReader(raw)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running %s: %w", javaGenerator, err)
	}
	var files map[string][]byte
	if err := json.Unmarshal(out, &files); err != nil {
		return nil, fmt.Errorf("reading what %s printed: %w", javaGenerator, err)
	}
	return files, nil
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
