package main

import (
	"github.com/pulumi/schema-tools/internal/cmd"
)

func main() {
	cmd.Execute()
}
