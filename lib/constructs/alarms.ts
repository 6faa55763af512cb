import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';

/** Where a construct sends its alarms: each alarm notifies when it fires and when it clears. */
export interface AlarmSink {
  readonly topic: sns.ITopic;
  add(alarm: cloudwatch.Alarm): void;
}

/** The alarm sink of a topic (possibly in another stack: a strong cross-stack reference to its ARN). */
export function alarmSink(topic: sns.ITopic): AlarmSink {
  const action = new actions.SnsAction(topic);
  return {
    topic,
    add(alarm) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    },
  };
}

/** Fires on the first occurrence in one period (errors, throttles, failed records). */
export const atLeastOnce = { threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD } as const;

/**
 * The stage's alarm topic and its e-mail subscription. It lives in the stateful Data stack: the
 * subscription is confirmed once by a person (the link in AWS's "Subscription Confirmation"
 * e-mail), and replacing the topic with an application stack would silently undo that.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly sink: AlarmSink;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: `Painel Operacional ${props.config.stage} alarms`, enforceSSL: true });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.config.alarmEmail));
    this.sink = alarmSink(this.topic);
  }
}
