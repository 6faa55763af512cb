import { CfnResource, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { StageConfig } from '../config';

/**
 * Gives every Lambda function of `stack` that has no log group of its own one the stack owns, with
 * the stage's retention and removal policy. Without it, the functions aws-cdk-lib creates at the
 * CloudFormation level (the custom-resource providers behind `autoDeleteObjects` and
 * `restrictDefaultSecurityGroup`) log to a group Lambda creates on first use, which no stack owns:
 * it never expires and outlives a destroyed stage.
 */
export function ownFunctionLogs(stack: Stack, config: StageConfig): void {
  for (const child of stack.node.findAll()) {
    if (!(child instanceof CfnResource) || child.cfnResourceType !== 'AWS::Lambda::Function') continue;
    if (child instanceof lambda.CfnFunction && child.loggingConfig) continue;
    const logGroup = new logs.LogGroup(child.node.scope!, `${child.node.id}Logs`, {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    child.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
  }
}
