// Run a compiled Pulumi Node program under @pulumi/pulumi's own mocks and
// print what it registered and exported as one JSON line.
//
// The Node language host runs one program per process, with the stack's
// config in PULUMI_CONFIG; this script does the same, with
// `pulumi.runtime.setMocks` installed before the program is loaded. The
// @pulumi/pulumi it uses is the program's own (resolved from the program's
// folder), so the mocks and the program share one runtime.
//
// Environment: ENVSTACK_PROGRAM (the compiled index.js), ENVSTACK_PROJECT,
// ENVSTACK_STACK, PULUMI_CONFIG.
"use strict";

const { createRequire } = require("node:module");

const TYPE_TOKEN = "envstack:index:EnvironmentStack";
const OUTPUTS = [
    "bucketName", "bucketArn", "tableName", "tableArn", "functionName", "functionArn",
    "queueUrl", "queueArn", "dlqUrl", "dlqArn", "topicArn", "roleArn",
];

async function main() {
    const programPath = process.env.ENVSTACK_PROGRAM;
    const programRequire = createRequire(programPath);
    const pulumi = programRequire("@pulumi/pulumi");

    // The mocks' newResource does not see the request's `remote` flag; the
    // monitor does, so keep it from there, keyed by type and name.
    const remote = new Map();
    const { MockMonitor } = programRequire("@pulumi/pulumi/runtime/mocks");
    const monitorRegister = MockMonitor.prototype.registerResource;
    MockMonitor.prototype.registerResource = function (req, callback) {
        remote.set(`${req.getType()}::${req.getName()}`, req.getRemote());
        return monitorRegister.call(this, req, callback);
    };

    const registrations = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const state = args.type === TYPE_TOKEN
                    ? Object.fromEntries(OUTPUTS.map((output) => [output, `${args.name}-${output}`]))
                    : {};
                registrations.push({
                    type: args.type,
                    name: args.name,
                    custom: Boolean(args.custom),
                    remote: remote.get(`${args.type}::${args.name}`),
                    inputs: args.inputs,
                    state,
                });
                return { id: `${args.name}-id`, state };
            },
            call() {
                return {};
            },
        },
        process.env.ENVSTACK_PROJECT,
        process.env.ENVSTACK_STACK,
        false,
    );

    const program = programRequire(programPath);
    const exports = {};
    for (const [name, value] of Object.entries(program)) {
        exports[name] = await new Promise((resolve) => pulumi.output(value).apply(resolve));
    }
    const record = { language: "typescript", stack: process.env.ENVSTACK_STACK, registrations, exports };
    process.stdout.write(JSON.stringify(record) + "\n");
}

main().then(
    () => process.exit(0),
    (error) => {
        process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
        process.exit(1);
    },
);
