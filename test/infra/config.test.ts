import { loadStageConfig, STAGES } from '../../lib/config';

describe('stage config', () => {
  it('validates every stage', () => {
    for (const stage of STAGES) expect(loadStageConfig({ stage, alarmEmail: 'ops@example.com' }).stage).toBe(stage);
  });

  it('keeps dev cheap and prod safe', () => {
    const dev = loadStageConfig({ stage: 'dev' });
    const prod = loadStageConfig({ stage: 'prod', alarmEmail: 'ops@example.com' });
    expect(dev).toMatchObject({ logRetentionDays: 7, pointInTimeRecovery: false, removalPolicy: 'destroy', database: { minCapacity: 0, deletionProtection: false } });
    expect(prod).toMatchObject({ pointInTimeRecovery: true, removalPolicy: 'retain', database: { deletionProtection: true, removalPolicy: 'retain' } });
    expect(prod.database.minCapacity).toBeGreaterThan(0);
  });

  it('takes account and region from the CDK environment, and the alarm e-mail from the context', () => {
    const config = loadStageConfig({ stage: 'staging', account: '123456789012', region: 'sa-east-1', alarmEmail: 'ops@example.com' });
    expect(config).toMatchObject({ env: { account: '123456789012', region: 'sa-east-1' }, alarmEmail: 'ops@example.com' });
    expect(loadStageConfig({ stage: 'dev' }).env).toEqual({ account: undefined, region: undefined });
  });

  it('refuses an unknown stage or an invalid value, naming it', () => {
    expect(() => loadStageConfig({ stage: 'qa' })).toThrow(/-c env must be one of dev, staging, prod \(got "qa"\)/);
    expect(() => loadStageConfig({ stage: undefined })).toThrow(/-c env must be one of/);
    expect(() => loadStageConfig({ stage: 'dev', alarmEmail: 'not-an-email' })).toThrow(/invalid dev stage config: alarmEmail/);
    expect(() => loadStageConfig({ stage: 'dev', account: '12' })).toThrow(/env.account/);
  });
});
