package main

// The example under the Go SDK's own mocks (pulumi.RunErr with
// pulumi.WithMocks), once per stack file, with the stack's config handed over
// in PULUMI_CONFIG as the CLI does. The generated SDK registers
// EnvironmentStack as a remote component, so the mocks see one resource and
// its inputs: exactly what the engine would hand the provider's Construct.
//
// With ENVSTACK_RECORD_DIR set, each stack's registrations and exports are
// written to <dir>/<stack>.json; tests/examples_mocks hands those inputs to the
// real provider and compares the result with the other languages.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"
)

const typeToken = "envstack:index:EnvironmentStack"

// outputs maps each stack export to the component output it must carry.
var outputs = map[string]string{
	"bucket_name": "bucketName", "bucket_arn": "bucketArn",
	"table_name": "tableName", "table_arn": "tableArn",
	"function_name": "functionName", "function_arn": "functionArn",
	"queue_url": "queueUrl", "queue_arn": "queueArn",
	"dlq_url": "dlqUrl", "dlq_arn": "dlqArn",
	"topic_arn": "topicArn", "role_arn": "roleArn",
}

type registration struct {
	Type   string         `json:"type"`
	Name   string         `json:"name"`
	Custom bool           `json:"custom"`
	Remote bool           `json:"remote"`
	Inputs map[string]any `json:"inputs"`
	State  map[string]any `json:"state"`
}

// recorder answers the component with one distinct value per output and
// keeps every registration.
type recorder struct {
	mu            sync.Mutex
	registrations []registration
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	state := resource.PropertyMap{}
	if args.TypeToken == typeToken {
		for _, camel := range outputs {
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

func (r *recorder) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

type record struct {
	Language      string         `json:"language"`
	Stack         string         `json:"stack"`
	Registrations []registration `json:"registrations"`
	Exports       map[string]any `json:"exports"`
}

// stackFile reads Pulumi.<stack>.yaml: the config as the CLI hands it over
// (every value a string), and the component inputs that config implies.
func stackFile(t *testing.T, stack string) (map[string]string, map[string]any) {
	raw, err := os.ReadFile("Pulumi." + stack + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	config := map[string]string{}
	for key, value := range file.Config {
		config[key] = fmt.Sprint(value)
	}
	want := map[string]any{}
	for _, key := range []string{"environment", "environmentSuffix", "notificationEmail"} {
		if value, ok := file.Config["pulumi-infra:"+key]; ok {
			want[key] = fmt.Sprint(value)
		}
	}
	if value, ok := file.Config["pulumi-infra:lambdaMemoryMb"].(int); ok {
		want["lambdaMemoryMb"] = float64(value) // numbers cross the wire as doubles
	}
	return config, want
}

// projectName is Pulumi.yaml's name, which the CLI hands the program as its
// project and so as the default config namespace.
func projectName(t *testing.T) string {
	raw, err := os.ReadFile("Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Name string `yaml:"name"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	return file.Name
}

func runStack(t *testing.T, stack string) record {
	config, _ := stackFile(t, stack)
	encoded, err := json.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PULUMI_CONFIG", string(encoded))

	mocks := &recorder{}
	var mu sync.Mutex
	exports := map[string]any{}
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		if err := program(ctx); err != nil {
			return err
		}
		for name, value := range ctx.GetCurrentExportMap() {
			name := name
			pulumi.ToOutput(value).ApplyT(func(resolved any) error {
				mu.Lock()
				defer mu.Unlock()
				exports[name] = resolved
				return nil
			})
		}
		return nil
	}, pulumi.WithMocks(projectName(t), stack, mocks))
	if err != nil {
		t.Fatalf("running the example for %s: %v", stack, err)
	}
	return record{Language: "go", Stack: stack, Registrations: mocks.registrations, Exports: exports}
}

func TestExampleUnderMocks(t *testing.T) {
	outDir := os.Getenv("ENVSTACK_RECORD_DIR")
	for _, stack := range []string{"dev", "staging", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec := runStack(t, stack)
			_, want := stackFile(t, stack)

			if len(rec.Registrations) != 1 || rec.Registrations[0].Type != typeToken {
				t.Fatalf("registered %+v, want exactly one %s", rec.Registrations, typeToken)
			}
			component := rec.Registrations[0]
			if !component.Remote {
				t.Errorf("%s was not registered as a remote component", typeToken)
			}
			if !reflect.DeepEqual(component.Inputs, want) {
				t.Errorf("inputs %v, want %v (from Pulumi.%s.yaml)", component.Inputs, want, stack)
			}
			if len(rec.Exports) != len(outputs) {
				t.Errorf("exports %v, want exactly %d", rec.Exports, len(outputs))
			}
			for export, camel := range outputs {
				if rec.Exports[export] != component.State[camel] {
					t.Errorf("export %s = %v, want the component's %s %v",
						export, rec.Exports[export], camel, component.State[camel])
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
