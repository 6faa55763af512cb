import { App } from 'aws-cdk-lib';
import { loadStageConfig } from '../lib/config';
import { buildStage } from '../lib/painel-app';

// `cdk synth|deploy -c env=dev|staging|prod [-c alarmEmail=ops@example.com]`
const app = new App();
const config = loadStageConfig({
  stage: app.node.tryGetContext('env'),
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
buildStage(app, config);
