package envstack;

import com.envstack.envstack.EnvironmentStack;
import com.envstack.envstack.EnvironmentStackArgs;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;

/**
 * Deploys one environment's envstack stack from Java.
 *
 * <p>Everything that differs between dev, staging and prod lives in the stack's
 * {@code Pulumi.<stack>.yaml} under the project namespace {@code pulumi-infra};
 * this program only reads it and hands it to the component. Every output is
 * exported explicitly so that scripts and other stacks can read it with
 * {@code pulumi stack output}. The notification email is read as a secret, so it
 * stays encrypted in the state whether the stack file holds it in plaintext or
 * {@code pulumi config set --secret} stored it.
 */
public final class App {
    private App() {}

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    /**
     * The whole deployment, as a reusable program: {@code main} hands it to {@code Pulumi.run}, and
     * the tests hand it to the Automation API as an inline program.
     */
    public static void stack(Context ctx) {
        var config = ctx.config("pulumi-infra");

        var args = EnvironmentStackArgs.builder().environment(config.require("environment"));
        config.get("environmentSuffix").ifPresent(args::environmentSuffix);
        // Optional, but a value that is not a whole number stops the deployment.
        config.getInteger("lambdaMemoryMb").ifPresent(args::lambdaMemoryMb);
        // What config.getSecret does (Output.ofSecret of the value), keeping whether the key is
        // set: getSecret's Output<Optional<String>> cannot tell that before the value resolves.
        config.get("notificationEmail").ifPresent(email -> args.notificationEmail(Output.ofSecret(email)));

        var stack = new EnvironmentStack("envstack", args.build());

        ctx.export("bucket_name", stack.bucketName());
        ctx.export("bucket_arn", stack.bucketArn());
        ctx.export("table_name", stack.tableName());
        ctx.export("table_arn", stack.tableArn());
        ctx.export("function_name", stack.functionName());
        ctx.export("function_arn", stack.functionArn());
        ctx.export("queue_url", stack.queueUrl());
        ctx.export("queue_arn", stack.queueArn());
        ctx.export("dlq_url", stack.dlqUrl());
        ctx.export("dlq_arn", stack.dlqArn());
        ctx.export("topic_arn", stack.topicArn());
        ctx.export("role_arn", stack.roleArn());
    }
}
