// Run the compiled Java example under Pulumi Java's own mocks and print what
// it registered and exported as one JSON line.
//
// The Java language host runs one program per process with the stack's config
// in PULUMI_CONFIG; this runner does the same for one stack, with the mock
// engine and monitor of com.pulumi:pulumi's test package (PulumiTestInternal,
// the builder behind com.pulumi.test.PulumiTest, which alone lets a test hand
// the program its config). The monitor is Pulumi's MockMonitor, extended to
// keep each request's `remote` flag, which the Mocks callback does not see.
//
// Environment: ENVSTACK_PROJECT, ENVSTACK_STACK, PULUMI_CONFIG.

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import com.pulumi.Log;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import envstack.App;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

public final class RunWithMocks {
    static final String TYPE_TOKEN = "envstack:index:EnvironmentStack";
    static final String[] OUTPUTS = {
        "bucketName", "bucketArn", "tableName", "tableArn", "functionName", "functionArn",
        "queueUrl", "queueArn", "dlqUrl", "dlqArn", "topicArn", "roleArn",
    };

    /** Answers the component with one distinct value per output and keeps every registration. */
    static final class ComponentMocks implements Mocks {
        final List<Map<String, Object>> registrations = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Boolean> remote = new ConcurrentHashMap<>();
        final Map<String, Boolean> custom = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
            var state = new TreeMap<String, Object>();
            if (TYPE_TOKEN.equals(args.type)) {
                for (var output : OUTPUTS) {
                    state.put(output, args.name + "-" + output);
                }
            }
            var key = args.type + "::" + args.name;
            var registration = new LinkedHashMap<String, Object>();
            registration.put("type", args.type);
            registration.put("name", args.name);
            registration.put("custom", custom.get(key));
            registration.put("remote", remote.get(key));
            registration.put("inputs", args.inputs);
            registration.put("state", state);
            registrations.add(registration);
            return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(args.name + "-id"), state));
        }
    }

    /** Pulumi's mock monitor, noting each request's remote and custom flags before it answers. */
    static final class KeepingMonitor extends MockMonitor {
        private final ComponentMocks mocks;

        KeepingMonitor(ComponentMocks mocks, Log log) {
            super(mocks, log);
            this.mocks = mocks;
        }

        @Override
        public CompletableFuture<RegisterResourceResponse> registerResourceAsync(
                Resource resource, RegisterResourceRequest request) {
            var key = request.getType() + "::" + request.getName();
            mocks.remote.put(key, request.getRemote());
            mocks.custom.put(key, request.getCustom());
            return super.registerResourceAsync(resource, request);
        }
    }

    public static void main(String[] argv) {
        var gson = new GsonBuilder().serializeNulls().create();
        Map<String, String> config = new Gson().fromJson(
                System.getenv("PULUMI_CONFIG"), new TypeToken<Map<String, String>>() {}.getType());
        var stackName = System.getenv("ENVSTACK_STACK");
        var mocks = new ComponentMocks();
        var options = TestOptions.builder()
                .projectName(System.getenv("ENVSTACK_PROJECT"))
                .stackName(stackName)
                .preview(false)
                .build();
        TestResult result;
        try {
            result = PulumiTestInternal.builder()
                    .options(options)
                    .mocks(mocks)
                    .config(config)
                    .monitorDecorator(ignored -> new KeepingMonitor(mocks, PulumiTestInternal.mockLog()))
                    .build()
                    .runTest(App::stack);
        } finally {
            PulumiTest.cleanup();
        }
        if (result.exitCode() != 0 || !result.exceptions().isEmpty() || !result.errors().isEmpty()) {
            for (var exception : result.exceptions()) {
                exception.printStackTrace();
            }
            System.err.println("errors: " + result.errors());
            System.exit(1);
        }
        var exports = new TreeMap<String, Object>();
        for (var export : result.outputs().entrySet()) {
            exports.put(export.getKey(), PulumiTest.extractValue(export.getValue()));
        }
        var record = new LinkedHashMap<String, Object>();
        record.put("language", "java");
        record.put("stack", stackName);
        record.put("registrations", mocks.registrations);
        record.put("exports", exports);
        System.out.println(gson.toJson(record));
        System.exit(0);
    }
}
