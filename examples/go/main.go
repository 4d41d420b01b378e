// Command pulumi-infra deploys one environment's envstack stack from Go.
//
// Everything that differs between dev, staging and prod lives in the stack's
// Pulumi.<stack>.yaml under the project namespace `pulumi-infra`; this
// program only reads it and hands it to the component. Every output is
// exported explicitly so that scripts and other stacks can read it with
// `pulumi stack output`. The notification email is read as a secret
// (TrySecret), so it stays encrypted in the state whether the stack file holds
// it in plaintext or `pulumi config set --secret` stored it.
package main

import (
	"errors"
	"fmt"

	"github.com/envstack/envstack/sdk/go/envstack"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(program)
}

// program is the whole deployment; automation_test.go runs it under the real
// engine through Go's Automation API.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "pulumi-infra")

	args := &envstack.EnvironmentStackArgs{
		Environment: cfg.Require("environment"),
	}
	if suffix, err := cfg.Try("environmentSuffix"); err == nil {
		args.EnvironmentSuffix = pulumi.StringRef(suffix)
	}
	// Optional, but a value that is not a whole number must stop the deployment.
	memory, err := cfg.TryInt("lambdaMemoryMb")
	switch {
	case err == nil:
		args.LambdaMemoryMb = pulumi.IntRef(memory)
	case !errors.Is(err, config.ErrMissingVar):
		return fmt.Errorf("pulumi-infra:lambdaMemoryMb: %w", err)
	}
	if email, err := cfg.TrySecret("notificationEmail"); err == nil {
		args.NotificationEmail = email.ToStringPtrOutput()
	}

	stack, err := envstack.NewEnvironmentStack(ctx, "envstack", args)
	if err != nil {
		return err
	}

	ctx.Export("bucket_name", stack.BucketName)
	ctx.Export("bucket_arn", stack.BucketArn)
	ctx.Export("table_name", stack.TableName)
	ctx.Export("table_arn", stack.TableArn)
	ctx.Export("function_name", stack.FunctionName)
	ctx.Export("function_arn", stack.FunctionArn)
	ctx.Export("queue_url", stack.QueueUrl)
	ctx.Export("queue_arn", stack.QueueArn)
	ctx.Export("dlq_url", stack.DlqUrl)
	ctx.Export("dlq_arn", stack.DlqArn)
	ctx.Export("topic_arn", stack.TopicArn)
	ctx.Export("role_arn", stack.RoleArn)
	return nil
}
