'use client';

import { MetricsCard, MetricsGrid } from '@/components/shared/metrics-card';
import { PageHeader, Section } from '@/components/shared/section';
import { QueryState, Skeleton } from '@/components/shared/states';
import { AgentsTable } from '@/features/tenant/components/agents-table';
import { IntegrationsTable } from '@/features/tenant/components/integrations-table';
import { UsageChart } from '@/features/tenant/components/usage-chart';
import { useTenantAgents, useTenantIntegrations, useTenantMe, useTenantUsage } from '@/features/tenant/api/queries';
import { canSeeIntegrations } from '@/lib/auth/permissions';
import { useClaims } from '@/lib/auth/session';
import { formatInteger, formatRate } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

export default function DashboardPage() {
  const claims = useClaims();
  const showIntegrations = canSeeIntegrations(claims);
  const me = useTenantMe();
  const agents = useTenantAgents('all');
  const usage = useTenantUsage('30d');
  const integrations = useTenantIntegrations(showIntegrations);

  return (
    <div className="stack">
      <PageHeader title={me.data ? `${t.dashboard.title} · ${me.data.name}` : t.dashboard.title} />
      <MetricsGrid label={t.dashboard.title}>
        <MetricsCard
          title={t.dashboard.activeAgents}
          value={me.data ? formatInteger(me.data.usage.active_agents) : <Skeleton lines={1} />}
          hint={me.data && t.dashboard.limits(me.data.usage.active_agents, me.data.limits.max_agents)}
        />
        <MetricsCard title={t.dashboard.requests30d} value={usage.data ? formatInteger(usage.data.summary.total_requests) : <Skeleton lines={1} />} />
        <MetricsCard title={t.dashboard.successRate} value={usage.data ? formatRate(usage.data.summary.success_rate) : <Skeleton lines={1} />} />
        {showIntegrations && (
          <MetricsCard
            title={t.dashboard.integrations}
            value={integrations.data ? formatInteger(integrations.data.integrations.filter((i) => i.status === 'active').length) : <Skeleton lines={1} />}
            hint={integrations.data && `${formatInteger(integrations.data.integrations.length)} no total`}
          />
        )}
      </MetricsGrid>
      <Section title={t.dashboard.usageChart} id="overview-usage">
        <QueryState query={usage}>{(data) => <UsageChart usage={data} height={240} />}</QueryState>
      </Section>
      <div className="grid-2">
        <Section title={t.dashboard.agentStatus} id="overview-agents">
          <QueryState query={agents}>{(data) => <AgentsTable agents={data.agents} compact />}</QueryState>
        </Section>
        {showIntegrations && (
          <Section title={t.dashboard.integrationStatus} id="overview-integrations">
            <QueryState query={integrations}>{(data) => <IntegrationsTable integrations={data.integrations} />}</QueryState>
          </Section>
        )}
      </div>
    </div>
  );
}
