'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { MetricsCard, MetricsGrid } from '@/components/shared/metrics-card';
import { PageHeader, Section } from '@/components/shared/section';
import { StatusBadge } from '@/components/shared/status-badge';
import { EmptyState, ErrorState, QueryState, Skeleton } from '@/components/shared/states';
import { useInternalTenantAgents, useTenantDetail } from '@/features/company/api/queries';
import { TenantAgentsTable } from '@/features/company/components/tenant-agents-table';
import { CommandHistory } from '@/features/operations/components/command-history';
import { IncidentsTable } from '@/features/tenant/components/incidents-table';
import { IntegrationsTable } from '@/features/tenant/components/integrations-table';
import { UsageView } from '@/features/tenant/components/usage-view';
import { formatBRL, formatCnpj, formatDateTime, formatInteger, formatRate } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

const COMMANDS = ['HEALTH_CHECK', 'RESTART_AGENT', 'RESET_TOKEN', 'REPROCESS_QUEUE'] as const;

/** `/company/tenants/detail/?id=…`: a query parameter, so the static export has one file for every tenant. */
function TenantDetailView() {
  const id = useSearchParams().get('id') ?? undefined;
  const detail = useTenantDetail(id);
  const agents = useInternalTenantAgents(id);
  if (!id) return <ErrorState error={new Error(t.detail.missingId)} />;

  return (
    <QueryState query={detail} lines={8}>
      {(data) => (
        <div className="stack">
          <PageHeader title={data.tenant.name} actions={<Link href="/company/tenants/">{t.common.back}</Link>} />
          <div className="card">
            <dl className="facts">
              <dt>{t.tenants.cnpj}</dt><dd>{formatCnpj(data.tenant.cnpj)}</dd>
              <dt>{t.tenants.status}</dt><dd><StatusBadge status={data.tenant.status} /></dd>
              <dt>{t.tenants.plan}</dt><dd>{t.plans[data.tenant.plan] ?? data.tenant.plan}</dd>
              <dt>{t.tenants.segment}</dt><dd>{t.segments[data.tenant.segment] ?? data.tenant.segment}</dd>
              <dt>{t.tenants.mrr}</dt><dd>{formatBRL(data.tenant.mrr_estimate)}</dd>
              <dt>{t.tenants.createdAt}</dt><dd>{formatDateTime(data.tenant.created_at)}</dd>
              <dt>{t.detail.updatedAt}</dt><dd>{formatDateTime(data.tenant.updated_at)}</dd>
            </dl>
          </div>
          <Section title={t.detail.shortcuts} id="shortcuts">
            <div className="toolbar">
              {COMMANDS.map((type) => (
                <Link key={type} className="button secondary" href={`/company/operations/?${new URLSearchParams({ tenant_id: data.tenant.id, command_type: type })}`}>
                  {t.detail.runCommand(type)}
                </Link>
              ))}
            </div>
          </Section>
          <MetricsGrid label={t.detail.usage}>
            <MetricsCard title={t.detail.requests7d} value={formatInteger(data.usage_summary.requests_last_7_days)} />
            <MetricsCard title={t.detail.requests30d} value={formatInteger(data.usage_summary.requests_last_30_days)} />
            <MetricsCard title={t.detail.successRate30d} value={formatRate(data.usage_summary.success_rate_last_30_days)} />
          </MetricsGrid>
          <Section title={t.detail.users} id="users">
            {data.users.length === 0 ? (
              <EmptyState />
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.detail.fullName}</th>
                      <th scope="col">{t.detail.email}</th>
                      <th scope="col">{t.detail.role}</th>
                      <th scope="col">{t.detail.lastLogin}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.users.map((user) => (
                      <tr key={user.id}>
                        <th scope="row">{user.full_name}</th>
                        <td>{user.email}</td>
                        <td>{t.detail.userRoles[user.role] ?? user.role}</td>
                        <td>{formatDateTime(user.last_login_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
          <Section title={t.detail.agents} id="agents">
            <QueryState query={agents}>{(list) => <TenantAgentsTable agents={list.agents} />}</QueryState>
          </Section>
          <Section title={t.detail.integrations} id="integrations">
            <IntegrationsTable integrations={data.integrations} />
          </Section>
          <Section title={t.detail.usage} id="tenant-usage">
            <UsageView tenantId={data.tenant.id} />
          </Section>
          <Section title={t.detail.incidents} id="incidents">
            <IncidentsTable incidents={data.recent_incidents} />
          </Section>
          <Section title={t.operations.history} id="tenant-commands">
            <CommandHistory tenantId={data.tenant.id} />
          </Section>
        </div>
      )}
    </QueryState>
  );
}

export default function TenantDetailPage() {
  return (
    <Suspense fallback={<Skeleton />}>
      <TenantDetailView />
    </Suspense>
  );
}
