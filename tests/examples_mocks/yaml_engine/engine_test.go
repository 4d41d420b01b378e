// Package yamlengine runs examples/yaml through the real Pulumi YAML engine
// (github.com/pulumi/pulumi-yaml, the code behind pulumi-language-yaml) under
// the Go SDK's mocks.
//
// No Pulumi CLI or YAML language host can be downloaded here, but the engine
// is a Go library: loading the project file, type-checking every property
// against the package schema and evaluating the program happen exactly as in
// `pulumi preview`. Only the schema comes from schema.json instead of the
// plugin, and the resource monitor is Pulumi's mock monitor.
//
// Each stack's registrations and exports are written as JSON to
// $ENVSTACK_RECORD_DIR/<stack>.json, for the pytest suite to compare across
// languages and hand to the provider's Construct.
package yamlengine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"
)

const typeToken = "envstack:index:EnvironmentStack"

var outputNames = []string{
	"bucket_name", "bucket_arn", "table_name", "table_arn", "function_name", "function_arn",
	"queue_url", "queue_arn", "dlq_url", "dlq_arn", "topic_arn", "role_arn",
}

func repoPath(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", ".."}, parts...)...)
}

// exampleDir is examples/yaml, or the copy named by ENVSTACK_YAML_EXAMPLE_DIR
// (the pytest suite hands the engine a broken copy to see it refuse).
func exampleDir() string {
	if dir := os.Getenv("ENVSTACK_YAML_EXAMPLE_DIR"); dir != "" {
		return dir
	}
	return repoPath("examples", "yaml")
}

// schemaLoader serves the checked-in schema.json as the envstack package, as
// the plugin would serve the same document over GetSchema.
type schemaLoader struct {
	pkg *schema.Package
}

func newSchemaLoader(t *testing.T) *schemaLoader {
	raw, err := os.ReadFile(repoPath("schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{})
	if err != nil || diags.HasErrors() {
		t.Fatalf("binding schema.json: %v %v", err, diags)
	}
	return &schemaLoader{pkg: pkg}
}

func (l *schemaLoader) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	if name != l.pkg.Name {
		return nil, fmt.Errorf("no schema for package %q here", name)
	}
	return l.pkg, nil
}

func (l *schemaLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l *schemaLoader) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	pkg, err := l.LoadPackage(name, v)
	if err != nil {
		return nil, err
	}
	return pkg.Reference(), nil
}

func (l *schemaLoader) LoadPackageReferenceV2(
	ctx context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

// registration is one RegisterResource call as the mock monitor saw it.
type registration struct {
	Type   string                 `json:"type"`
	Name   string                 `json:"name"`
	Custom bool                   `json:"custom"`
	Remote bool                   `json:"remote"`
	Inputs map[string]interface{} `json:"inputs"`
	State  map[string]interface{} `json:"state"`
}

// recorder answers every registration with distinct, plausible outputs and
// keeps what it was asked.
type recorder struct {
	mu            sync.Mutex
	registrations []registration
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	state := resource.PropertyMap{}
	if args.TypeToken == typeToken {
		for _, camel := range []string{
			"bucketName", "bucketArn", "tableName", "tableArn", "functionName", "functionArn",
			"queueUrl", "queueArn", "dlqUrl", "dlqArn", "topicArn", "roleArn",
		} {
			state[resource.PropertyKey(camel)] = resource.NewStringProperty(args.Name + "-" + camel)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.registrations = append(r.registrations, registration{
		Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Remote: args.RegisterRPC.GetRemote(),
		Inputs: args.Inputs.Mappable(), State: state.Mappable(),
	})
	return args.Name + "-id", state, nil
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// stackConfig reads Pulumi.<stack>.yaml and returns it as the CLI hands it
// over: a flat map of namespaced keys to strings.
func stackConfig(t *testing.T, stack string) map[string]string {
	raw, err := os.ReadFile(filepath.Join(exampleDir(), "Pulumi."+stack+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Config map[string]interface{} `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	flat := map[string]string{}
	for key, value := range file.Config {
		flat[key] = fmt.Sprint(value)
	}
	return flat
}

// configPropertyMap types each config value as pulumi-language-yaml does
// before handing it to the engine: whole numbers become numbers.
func configPropertyMap(config map[string]string) resource.PropertyMap {
	props := resource.PropertyMap{}
	for key, value := range config {
		if number, err := strconv.ParseInt(value, 10, 64); err == nil {
			props[resource.PropertyKey(key)] = resource.NewNumberProperty(float64(number))
		} else {
			props[resource.PropertyKey(key)] = resource.NewStringProperty(value)
		}
	}
	return props
}

// record is what one stack's run left behind, as the pytest suite reads it.
type record struct {
	Language      string                 `json:"language"`
	Stack         string                 `json:"stack"`
	Registrations []registration         `json:"registrations"`
	Exports       map[string]interface{} `json:"exports"`
}

func runStack(t *testing.T, loader *schemaLoader, stack string) record {
	config := stackConfig(t, stack)
	encoded, err := json.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PULUMI_CONFIG", string(encoded))

	template, diags, err := pulumiyaml.LoadDir(exampleDir())
	if err != nil || diags.HasErrors() {
		t.Fatalf("loading examples/yaml: %v %v", err, diags)
	}

	mocks := &recorder{}
	var mu sync.Mutex
	exports := map[string]interface{}{}
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		packages := pulumiyaml.NewPackageLoaderFromSchemaLoader(loader)
		if err := pulumiyaml.RunTemplate(ctx, template, configPropertyMap(config), packages); err != nil {
			return err
		}
		for name, value := range ctx.GetCurrentExportMap() {
			name := name
			pulumi.ToOutput(value).ApplyT(func(resolved interface{}) error {
				mu.Lock()
				defer mu.Unlock()
				exports[name] = resolved
				return nil
			})
		}
		return nil
	}, pulumi.WithMocks(template.Name.Value, stack, mocks))
	if err != nil {
		t.Fatalf("running examples/yaml for %s: %v", stack, err)
	}
	return record{Language: "yaml", Stack: stack, Registrations: mocks.registrations, Exports: exports}
}

func TestYAMLExampleUnderTheRealEngine(t *testing.T) {
	loader := newSchemaLoader(t)
	outDir := os.Getenv("ENVSTACK_RECORD_DIR")
	for _, stack := range []string{"dev", "staging", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec := runStack(t, loader, stack)
			components := 0
			for _, reg := range rec.Registrations {
				if reg.Type == typeToken {
					components++
				}
			}
			if components != 1 {
				t.Fatalf("%s registered %d EnvironmentStack, want 1", stack, components)
			}
			for _, name := range outputNames {
				if _, ok := rec.Exports[name]; !ok {
					t.Errorf("%s does not export %s", stack, name)
				}
			}
			if outDir == "" {
				return
			}
			encoded, err := json.MarshalIndent(rec, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(outDir, stack+".json"), encoded, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}
