package main

// The example's own program under the real engine through Go's Automation
// API (github.com/pulumi/pulumi/sdk/v3/go/auto), inline: auto serves the
// program's language host in this process and the CLI runs `program` there.
// It is a test of package main because `program` lives there, unexported.
//
// The compiled test is a driver of envstack_testkit.automation: run as
//   go_automation.test -test.run '^TestAutomation$' PLAN.json REPORT.json
// it runs the plan's stacks and steps with the plan's workDir (a temporary
// copy of this folder, so Pulumi.yaml and Pulumi.<stack>.yaml are read as
// the CLI reads them) and writes the report. Without a plan it skips, so
// `go test ./...` in this folder stays a plain build check.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

type stackPlan struct {
	Stack   string            `json:"stack"`
	Steps   []string          `json:"steps"`
	Secrets map[string]string `json:"secrets"`
}

type plan struct {
	WorkDir    string      `json:"workDir"`
	PulumiRoot string      `json:"pulumiRoot"`
	PolicyPack string      `json:"policyPack"`
	Project    string      `json:"project"`
	Stacks     []stackPlan `json:"stacks"`
}

type result map[string]any

func outputs(found auto.OutputMap) map[string]any {
	read := map[string]any{}
	for name, output := range found {
		read[name] = map[string]any{"value": output.Value, "secret": output.Secret, "type": fmt.Sprintf("%T", output.Value)}
	}
	return read
}

func changes[K ~string](summary map[K]int) map[string]int {
	read := map[string]int{}
	for kind, count := range summary {
		read[string(kind)] = count
	}
	return read
}

// collect gathers the engine's policy events until the channel closes.
func collect(policy *[]map[string]string) (chan events.EngineEvent, chan struct{}) {
	stream := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for event := range stream {
			if event.PolicyEvent != nil {
				*policy = append(*policy, map[string]string{
					"policyName":       event.PolicyEvent.PolicyName,
					"enforcementLevel": event.PolicyEvent.EnforcementLevel,
					"message":          event.PolicyEvent.Message,
				})
			}
		}
	}()
	return stream, done
}

func runStep(ctx context.Context, stack auto.Stack, step, policyPack string) result {
	res := result{"step": step, "ok": true}
	policy := []map[string]string{}
	started := time.Now()
	var err error
	switch step {
	case "preview-with-pack", "preview", "preview-expect-no-changes":
		stream, done := collect(&policy)
		opts := []optpreview.Option{optpreview.EventStreams(stream)}
		if step == "preview-with-pack" {
			opts = append(opts, optpreview.PolicyPacks(policyPack))
		}
		if step == "preview-expect-no-changes" {
			opts = append(opts, optpreview.ExpectNoChanges())
		}
		var preview auto.PreviewResult
		preview, err = stack.Preview(ctx, opts...)
		<-done
		res["stdout"], res["changes"] = preview.StdOut, changes(preview.ChangeSummary)
	case "up":
		stream, done := collect(&policy)
		var up auto.UpResult
		up, err = stack.Up(ctx, optup.EventStreams(stream))
		<-done
		res["stdout"], res["outputs"] = up.StdOut, outputs(up.Outputs)
		if up.Summary.ResourceChanges != nil {
			res["changes"] = changes(*up.Summary.ResourceChanges)
		}
	case "outputs":
		var found auto.OutputMap
		found, err = stack.Outputs(ctx)
		res["outputs"] = outputs(found)
	case "export":
		var state json.RawMessage
		deployment, exportErr := stack.Export(ctx)
		err = exportErr
		if err == nil {
			state, err = json.Marshal(deployment)
		}
		res["state"] = state
	case "destroy":
		var destroy auto.DestroyResult
		destroy, err = stack.Destroy(ctx)
		res["stdout"] = destroy.StdOut
		if destroy.Summary.ResourceChanges != nil {
			res["changes"] = changes(*destroy.Summary.ResourceChanges)
		}
	default:
		err = fmt.Errorf("unknown step %q", step)
	}
	if err != nil {
		res["ok"], res["error"] = false, err.Error()
	}
	res["seconds"], res["policy"] = time.Since(started).Seconds(), policy
	return res
}

func TestAutomation(t *testing.T) {
	if flag.NArg() < 2 {
		t.Skip("no plan: run by envstack_testkit.automation with PLAN.json REPORT.json")
	}
	raw, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		t.Fatal(err)
	}
	var p plan
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	command, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: p.PulumiRoot})
	if err != nil {
		t.Fatal(err)
	}
	stacks := []map[string]any{}
	for _, sp := range p.Stacks {
		stack, err := auto.UpsertStackInlineSource(ctx, sp.Stack, p.Project, program,
			auto.WorkDir(p.WorkDir), auto.Pulumi(command))
		if err != nil {
			t.Fatal(err)
		}
		for key, value := range sp.Secrets {
			if err := stack.SetConfig(ctx, key, auto.ConfigValue{Value: value, Secret: true}); err != nil {
				t.Fatal(err)
			}
		}
		steps := []result{}
		for _, step := range sp.Steps {
			steps = append(steps, runStep(ctx, stack, step, p.PolicyPack))
		}
		stacks = append(stacks, map[string]any{"stack": sp.Stack, "steps": steps})
	}
	report, err := json.Marshal(map[string]any{"language": "go", "stacks": stacks})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(flag.Arg(1), report, 0o644); err != nil {
		t.Fatal(err)
	}
}
