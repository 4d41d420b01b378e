// Deploy one environment's envstack stack from TypeScript.
//
// Everything that differs between dev, staging and prod lives in the stack's
// Pulumi.<stack>.yaml under the project namespace `pulumi-infra`; this
// program only reads it and hands it to the component. Every output is
// exported explicitly, under the same names as in the other languages, so
// that scripts and other stacks can read it with `pulumi stack output`. The
// notification email is read as a secret (getSecret), so it stays encrypted in
// the state whether the stack file holds it in plaintext or `pulumi config set
// --secret` stored it.
import * as pulumi from "@pulumi/pulumi";
import * as envstack from "@envstack/pulumi-envstack";

const config = new pulumi.Config("pulumi-infra");

const stack = new envstack.EnvironmentStack("envstack", {
    environment: config.require("environment"),
    environmentSuffix: config.get("environmentSuffix"),
    lambdaMemoryMb: config.getNumber("lambdaMemoryMb"),
    notificationEmail: config.getSecret("notificationEmail"),
});

export const bucket_name = stack.bucketName;
export const bucket_arn = stack.bucketArn;
export const table_name = stack.tableName;
export const table_arn = stack.tableArn;
export const function_name = stack.functionName;
export const function_arn = stack.functionArn;
export const queue_url = stack.queueUrl;
export const queue_arn = stack.queueArn;
export const dlq_url = stack.dlqUrl;
export const dlq_arn = stack.dlqArn;
export const topic_arn = stack.topicArn;
export const role_arn = stack.roleArn;
