// Run examples/java's own program (envstack.App.stack) under the real engine
// through Java's Automation API (com.pulumi.automation in com.pulumi:pulumi),
// inline: the SDK serves the program's language host (WorkspaceStack's
// InlineLanguageHost) in this JVM and the CLI runs the program there.
//
// Usage: java -cp <classpath> RunAutomation PLAN.json REPORT.json
// (see envstack_testkit.automation). The workspace's workDir is a temporary
// copy of examples/java, so Pulumi.yaml and Pulumi.<stack>.yaml are read as
// the CLI reads them. Java's LocalPulumiCommand has no root option: it runs
// the `pulumi` first on PATH, which the harness makes the pinned build.

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.DestroyOptions;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.LocalWorkspaceOptions;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.OutputValue;
import com.pulumi.automation.PreviewOptions;
import com.pulumi.automation.UpOptions;
import com.pulumi.automation.WorkspaceStack;
import com.pulumi.automation.events.EngineEvent;
import envstack.App;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

public final class RunAutomation {
    private RunAutomation() {}

    /** The plan as the harness writes it. */
    static final class Plan {
        String workDir;
        String policyPack;
        List<StackPlan> stacks;
    }

    static final class StackPlan {
        String stack;
        List<String> steps;
        Map<String, String> secrets;
    }

    static Map<String, Integer> changes(Map<OperationType, Integer> summary) {
        var read = new LinkedHashMap<String, Integer>();
        if (summary != null) {
            summary.forEach((kind, count) -> read.put(kind.name().toLowerCase().replace('_', '-'), count));
        }
        return read;
    }

    static Map<String, Object> outputs(Map<String, OutputValue> found) {
        var read = new LinkedHashMap<String, Object>();
        found.forEach((name, output) -> {
            var value = new LinkedHashMap<String, Object>();
            value.put("value", output.value());
            value.put("secret", output.isSecret());
            value.put("type", output.value() == null ? "null" : output.value().getClass().getName());
            read.put(name, value);
        });
        return read;
    }

    static Map<String, Object> runStep(WorkspaceStack stack, String step, String policyPack) {
        var result = new LinkedHashMap<String, Object>();
        result.put("step", step);
        result.put("ok", true);
        List<Map<String, String>> policy = Collections.synchronizedList(new ArrayList<>());
        Consumer<EngineEvent> onEvent = event -> {
            var found = event.policyEvent();
            if (found != null) {
                policy.add(Map.of(
                        "policyName", found.policyName(),
                        "enforcementLevel", found.enforcementLevel(),
                        "message", found.message()));
            }
        };
        var started = System.nanoTime();
        try {
            switch (step) {
                case "preview-with-pack":
                case "preview":
                case "preview-expect-no-changes": {
                    var options = PreviewOptions.builder().onEvent(onEvent);
                    if (step.equals("preview-with-pack")) {
                        options.policyPacks(List.of(policyPack));
                    }
                    if (step.equals("preview-expect-no-changes")) {
                        options.expectNoChanges(true);
                    }
                    var preview = stack.preview(options.build());
                    result.put("stdout", preview.standardOutput());
                    result.put("changes", changes(preview.changeSummary()));
                    break;
                }
                case "up": {
                    var up = stack.up(UpOptions.builder().onEvent(onEvent).build());
                    result.put("stdout", up.standardOutput());
                    result.put("changes", changes(up.summary().resourceChanges()));
                    result.put("outputs", outputs(up.outputs()));
                    break;
                }
                case "outputs":
                    result.put("outputs", outputs(stack.getOutputs()));
                    break;
                case "export": {
                    var deployment = stack.exportStack();
                    var state = new LinkedHashMap<String, Object>();
                    state.put("version", deployment.version());
                    state.put("deployment", deployment.deployment());
                    result.put("state", state);
                    break;
                }
                case "destroy": {
                    var destroy = stack.destroy(DestroyOptions.builder().build());
                    result.put("stdout", destroy.standardOutput());
                    result.put("changes", changes(destroy.summary().resourceChanges()));
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown step " + step);
            }
        } catch (Exception error) {
            result.put("ok", false);
            result.put("error", error.getClass().getName() + ": " + error.getMessage());
        }
        result.put("seconds", (System.nanoTime() - started) / 1e9);
        result.put("policy", policy);
        return result;
    }

    public static void main(String[] argv) throws Exception {
        var gson = new GsonBuilder().serializeNulls().create();
        var plan = new Gson().fromJson(Files.readString(Path.of(argv[0]), StandardCharsets.UTF_8), Plan.class);
        var stacks = new ArrayList<Map<String, Object>>();
        // LocalWorkspace.createOrSelectStack(project, stack, program, options) would pass project
        // settings of its own, which it refuses beside the work_dir's Pulumi.yaml; a workspace made
        // with the program, on the work_dir, reads Pulumi.yaml as the CLI does.
        var options = LocalWorkspaceOptions.builder().workDir(Path.of(plan.workDir)).program(App::stack).build();
        var workspace = LocalWorkspace.create(options);
        try {
            for (var stackPlan : plan.stacks) {
                var stack = WorkspaceStack.createOrSelect(stackPlan.stack, workspace);
                for (var secret : stackPlan.secrets.entrySet()) {
                    stack.setConfig(secret.getKey(), new ConfigValue(secret.getValue(), true));
                }
                var steps = new ArrayList<Map<String, Object>>();
                for (var step : stackPlan.steps) {
                    steps.add(runStep(stack, step, plan.policyPack));
                }
                var report = new LinkedHashMap<String, Object>();
                report.put("stack", stackPlan.stack);
                report.put("steps", steps);
                stacks.add(report);
            }
        } finally {
            // A stack's close() closes its workspace, which every stack here shares.
            workspace.close();
        }
        var report = new LinkedHashMap<String, Object>();
        report.put("language", "java");
        report.put("stacks", stacks);
        Files.writeString(Path.of(argv[1]), gson.toJson(report), StandardCharsets.UTF_8);
        System.exit(0);
    }
}
