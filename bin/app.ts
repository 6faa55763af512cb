import { App } from 'aws-cdk-lib';
import { loadStageConfig } from '../lib/config';
import { buildStage } from '../lib/painel-app';

// `cdk synth|deploy -c env=dev|staging|prod -c alarmEmail=ops@your-company.com.br [-c emailFrom=no-reply@your-company.com.br]`
// (alarmEmail is required for staging and prod; see README, "Deploy a stage").
const app = new App();
const config = loadStageConfig({
  stage: app.node.tryGetContext('env'),
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  emailFrom: app.node.tryGetContext('emailFrom'),
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
buildStage(app, config);
