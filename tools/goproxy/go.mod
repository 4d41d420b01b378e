module github.com/envstack/envstack/tools/goproxy

go 1.26.6

require golang.org/x/mod v0.41.0
