// Run examples/typescript's own program under the real engine through
// TypeScript's Automation API (@pulumi/pulumi/automation), inline.
//
// Usage: node driver.js PLAN.json REPORT.json (see envstack_testkit.automation).
//
// The program is the example's compiled index.js (the example's own tsc
// writes it to examples/typescript/bin), loaded afresh for every operation as
// the Node language host loads a program once per process; what it exports
// becomes the stack's outputs, as under the language host. @pulumi/pulumi
// comes from the example's node_modules (NODE_PATH), so the driver and the
// program share one runtime. The workspace's workDir is a temporary copy of
// the example, so Pulumi.yaml and Pulumi.<stack>.yaml are read as the CLI
// reads them.
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, LocalWorkspace, OutputMap, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

interface StackPlan {
    stack: string;
    steps: string[];
    secrets: Record<string, string>;
}

interface Plan {
    workDir: string;
    pulumiRoot: string;
    policyPack: string;
    project: string;
    program: string;
    stacks: StackPlan[];
}

type Result = Record<string, unknown>;

function outputs(map: OutputMap): Record<string, unknown> {
    const found: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(map)) {
        found[name] = { value: output.value, secret: output.secret, type: typeof output.value };
    }
    return found;
}

function message(error: unknown): string {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function runStep(stack: Stack, step: string, policyPack: string): Promise<Result> {
    const policy: Record<string, string>[] = [];
    const onEvent = (event: EngineEvent) => {
        if (event.policyEvent) {
            policy.push({
                policyName: event.policyEvent.policyName,
                enforcementLevel: event.policyEvent.enforcementLevel,
                message: event.policyEvent.message,
            });
        }
    };
    const result: Result = { step, ok: true };
    const started = process.hrtime.bigint();
    try {
        if (step === "preview-with-pack" || step === "preview" || step === "preview-expect-no-changes") {
            const preview = await stack.preview({
                policyPacks: step === "preview-with-pack" ? [policyPack] : undefined,
                expectNoChanges: step === "preview-expect-no-changes" ? true : undefined,
                onEvent,
            });
            Object.assign(result, { stdout: preview.stdout, changes: preview.changeSummary });
        } else if (step === "up") {
            const up = await stack.up({ onEvent });
            Object.assign(result, {
                stdout: up.stdout,
                changes: up.summary.resourceChanges ?? {},
                outputs: outputs(up.outputs),
            });
        } else if (step === "outputs") {
            result.outputs = outputs(await stack.outputs());
        } else if (step === "export") {
            result.state = await stack.exportStack();
        } else if (step === "destroy") {
            const destroy = await stack.destroy();
            Object.assign(result, { stdout: destroy.stdout, changes: destroy.summary.resourceChanges ?? {} });
        } else {
            throw new Error(`unknown step ${step}`);
        }
    } catch (error) {
        Object.assign(result, { ok: false, error: message(error) });
    }
    result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    result.policy = policy;
    return result;
}

async function main(planFile: string, reportFile: string): Promise<void> {
    const plan: Plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
    const programPath = path.resolve(plan.program);
    const program = async () => {
        delete require.cache[require.resolve(programPath)];
        return require(programPath);
    };
    const pulumiCommand = await PulumiCommand.get({ root: plan.pulumiRoot });
    const stacks = [];
    for (const stackPlan of plan.stacks) {
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: stackPlan.stack, projectName: plan.project, program },
            { workDir: plan.workDir, pulumiCommand },
        );
        for (const [key, value] of Object.entries(stackPlan.secrets)) {
            await stack.setConfig(key, { value, secret: true });
        }
        const steps = [];
        for (const step of stackPlan.steps) {
            steps.push(await runStep(stack, step, plan.policyPack));
        }
        stacks.push({ stack: stackPlan.stack, steps });
    }
    fs.writeFileSync(reportFile, JSON.stringify({ language: "typescript", stacks }));
}

main(process.argv[2], process.argv[3]).catch((error) => {
    console.error(error);
    process.exit(2);
});
