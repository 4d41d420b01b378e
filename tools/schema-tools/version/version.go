package version

// Version is initialized by the Go linker to contain the semver of this build. This defaults to dev
var Version string = "dev"