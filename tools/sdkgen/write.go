package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
)

// kept names, per language, the files in an SDK folder that no generator
// writes but that belong with it and survive regeneration: the npm lockfile
// that pins the Node SDK's toolchain for `npm ci` (refreshed by
// `make sdk-nodejs-lock`, not by sdkgen).
var kept = map[string][]string{
	"nodejs": {"package-lock.json"},
}

// writeTree replaces outDir/lang with exactly the generated files plus the
// kept ones. The folder is written beside the old one and swapped in, so an
// interrupted run never leaves a half-written SDK behind.
func writeTree(outDir, lang string, files map[string][]byte) (string, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", err
	}
	final := filepath.Join(outDir, lang)
	staging, err := os.MkdirTemp(outDir, "."+lang+"-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(staging)

	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		clean := filepath.FromSlash(p)
		if !filepath.IsLocal(clean) {
			return "", fmt.Errorf("generator emitted a path outside the SDK folder: %q", p)
		}
		target := filepath.Join(staging, clean)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(target, files[p], 0o644); err != nil {
			return "", err
		}
	}
	for _, name := range kept[lang] {
		if _, generated := files[name]; generated {
			continue
		}
		data, err := os.ReadFile(filepath.Join(final, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(staging, name), data, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return "", err
	}
	if err := os.RemoveAll(final); err != nil {
		return "", err
	}
	if err := os.Rename(staging, final); err != nil {
		return "", err
	}
	return final, nil
}

// goModTidy completes the generated go.mod (which names only the Pulumi SDK)
// with the modules the SDK's imports need and writes go.sum, using only the Go
// module proxy.
//
// First it raises the Pulumi Go SDK requirement to the release sdkgen itself
// is built with (pulumiSDKRelease): the Go generator at pkg v3.274.1 writes
// v3.269.0, whose github.com/pulumi/pulumi-cloud-sdk/go requirement the
// module proxy does not serve, and the SDKs are meant to come from the same
// Pulumi release as the CLI the tests run anyway.
func goModTidy(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return fmt.Errorf("go: the generator wrote no go.mod in %s: %w", dir, err)
	}
	release, err := pulumiSDKRelease()
	if err != nil {
		return err
	}
	for _, args := range [][]string{
		{"mod", "edit", "-require=" + pulumiSDKModule + "@" + release},
		{"mod", "tidy"},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		cmd.Stdout = os.Stderr
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %s in %s: %w", strings.Join(args, " "), dir, err)
		}
	}
	return nil
}

const pulumiSDKModule = "github.com/pulumi/pulumi/sdk/v3"

// pulumiSDKRelease is the version of the Pulumi Go SDK linked into sdkgen
// (after tools/sdkgen/go.mod's replace), read from the binary's build info so
// that go.mod stays the one place it is set.
func pulumiSDKRelease() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("sdkgen was built without module information")
	}
	for _, dep := range info.Deps {
		if dep.Path != pulumiSDKModule {
			continue
		}
		if dep.Replace != nil {
			return dep.Replace.Version, nil
		}
		return dep.Version, nil
	}
	return "", fmt.Errorf("sdkgen does not link %s", pulumiSDKModule)
}
