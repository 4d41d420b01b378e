// One typed component that deploys the same serverless data stack (S3, DynamoDB, SQS, Lambda, SNS, IAM) into dev, staging or prod on AWS.
package envstack
