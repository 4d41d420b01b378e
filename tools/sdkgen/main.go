// Command sdkgen writes the envstack SDKs from the checked-in schema.json with
// Pulumi's own code generators, used as a Go library.
//
// The Pulumi CLI's `package gen-sdk` cannot be used here: it needs the CLI and
// a language-host binary per language, neither of which can be installed on
// the build machines. The generators themselves are plain Go packages, so this
// program binds the schema and calls each language's GeneratePackage, exactly
// as gen-sdk does, and writes the files.
//
// Usage:
//
//	sdkgen -schema schema.json -out sdk [-lang python,nodejs,go,dotnet,java] [-tidy=false] [-java-gen path]
//
// Each language's folder under -out is replaced as a whole, so a file the
// generator no longer emits disappears instead of lingering. After the Go SDK
// is written, `go mod tidy` completes its go.mod and writes go.sum, so that the
// module builds without further network access than the Go module proxy.
//
// Java's generator cannot be linked in here (see tools/sdkgen-java): sdkgen
// runs it as a separate binary, sdkgen-java, and writes what it prints.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	schemaPath := flag.String("schema", "schema.json", "path of the package schema to generate from")
	outDir := flag.String("out", "sdk", "folder that receives one sub-folder per language")
	langs := flag.String("lang", strings.Join(languageNames(), ","), "comma-separated languages to generate")
	tidy := flag.Bool("tidy", true, "run `go mod tidy` in the generated Go SDK")
	flag.StringVar(&javaGenerator, "java-gen", defaultJavaGenerator(), "path of the sdkgen-java binary")
	flag.Parse()

	if err := run(*schemaPath, *outDir, strings.Split(*langs, ","), *tidy); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(schemaPath, outDir string, langs []string, tidy bool) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	for _, name := range langs {
		lang, ok := languageByName(name)
		if !ok {
			return fmt.Errorf("unknown language %q (known: %s)", name, strings.Join(languageNames(), ", "))
		}
		files, err := generate(lang, raw)
		if err != nil {
			return fmt.Errorf("%s: %w", lang.name, err)
		}
		dir, err := writeTree(outDir, lang.name, files)
		if err != nil {
			return fmt.Errorf("%s: %w", lang.name, err)
		}
		if lang.name == "go" && tidy {
			if err := goModTidy(dir); err != nil {
				return err
			}
		}
		fmt.Printf("sdkgen: %s: %d files in %s\n", lang.name, len(files), dir)
	}
	return nil
}

func generate(lang language, raw []byte) (map[string][]byte, error) {
	if lang.external != nil {
		return lang.external(raw)
	}
	// Bind afresh for every language: the generators record their
	// language options on the bound package and mutate it.
	pkg, err := bind(raw)
	if err != nil {
		return nil, err
	}
	return lang.generate(pkg)
}
