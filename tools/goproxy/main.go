// Command goproxy publishes one version of a Go module into a folder laid out
// as the Go module proxy protocol (GOPROXY) expects, so that the go command
// reads it over http:// or file:// like any module proxy:
//
//	<out>/<escaped module path>/@v/list            the versions, one a line
//	<out>/<escaped module path>/@v/<version>.info  {"Version": ..., "Time": ...}
//	<out>/<escaped module path>/@v/<version>.mod   the module's go.mod
//	<out>/<escaped module path>/@v/<version>.zip   the module zip
//
// The zip is written by golang.org/x/mod/zip, the code the go command itself
// uses to check a downloaded module, so a file the go command would refuse
// (a nested module, a path that is not portable, too large) fails here
// instead of at a consumer. A published version is immutable, as it is on
// any module proxy and in every go.sum that recorded it: publishing a version
// the folder already holds is refused, and nothing is changed.
//
// It prints the go.sum lines a consumer will record, computed from the zip
// just written, so a release can publish them beside the module.
//
// Usage: goproxy -module DIR -version vX.Y.Z -out PROXY_DIR [-time RFC3339]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/zip"
)

// errPublished marks a version the proxy folder already serves.
var errPublished = errors.New("already published")

func main() {
	moduleDir := flag.String("module", "", "the module's folder (holding go.mod)")
	version := flag.String("version", "", "the version to publish, vMAJOR.MINOR.PATCH")
	out := flag.String("out", "", "the proxy folder")
	stamp := flag.String("time", "", "the version's time (RFC 3339); default now")
	flag.Parse()
	lines, err := publish(*moduleDir, *version, *out, *stamp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goproxy:", err)
		os.Exit(1)
	}
	fmt.Print(lines)
}

func publish(moduleDir, version, out, stamp string) (string, error) {
	if moduleDir == "" || version == "" || out == "" {
		return "", errors.New("-module, -version and -out are required")
	}
	published := time.Now().UTC()
	if stamp != "" {
		parsed, err := time.Parse(time.RFC3339, stamp)
		if err != nil {
			return "", fmt.Errorf("-time %q is not RFC 3339: %w", stamp, err)
		}
		published = parsed.UTC()
	}
	goMod, err := os.ReadFile(filepath.Join(moduleDir, "go.mod"))
	if err != nil {
		return "", err
	}
	path := modfile.ModulePath(goMod)
	if path == "" {
		return "", fmt.Errorf("%s/go.mod declares no module path", moduleDir)
	}
	mod := module.Version{Path: path, Version: version}
	if semver.Canonical(version) != version || semver.Prerelease(version) != "" {
		return "", fmt.Errorf("version %q must be a plain vMAJOR.MINOR.PATCH", version)
	}
	if err := module.Check(path, version); err != nil {
		return "", err
	}
	escaped, err := module.EscapePath(path)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(out, filepath.FromSlash(escaped), "@v")
	info := filepath.Join(dir, version+".info")
	if _, err := os.Stat(info); err == nil {
		return "", fmt.Errorf("%s@%s is %w in %s; a module version never changes once published: publish a new version",
			path, version, errPublished, out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	zipFile := filepath.Join(dir, version+".zip")
	if err := writeAtomically(zipFile, func(w io.Writer) error { return zip.CreateFromDir(w, mod, moduleDir) }); err != nil {
		return "", fmt.Errorf("zipping %s: %w", moduleDir, err)
	}
	if err := writeAtomically(filepath.Join(dir, version+".mod"), func(w io.Writer) error {
		_, err := w.Write(goMod)
		return err
	}); err != nil {
		return "", err
	}
	// .info last but one and list last: a reader sees the version only once
	// its zip and go.mod are in place.
	if err := writeAtomically(info, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(struct {
			Version string
			Time    string
		}{version, published.Format(time.RFC3339)})
	}); err != nil {
		return "", err
	}
	if err := addToList(filepath.Join(dir, "list"), version); err != nil {
		return "", err
	}
	zipHash, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		return "", err
	}
	modHash, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return os.Open(filepath.Join(dir, version+".mod"))
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", path, version, zipHash, path, version, modHash), nil
}

func addToList(list, version string) error {
	var versions []string
	if data, err := os.ReadFile(list); err == nil {
		versions = strings.Fields(string(data))
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if !slices.Contains(versions, version) {
		versions = append(versions, version)
	}
	semver.Sort(versions)
	return writeAtomically(list, func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(versions, "\n")+"\n")
		return err
	})
}

// writeAtomically writes through a temporary file renamed into place, so a
// reader never sees half a file.
func writeAtomically(target string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(target), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}
