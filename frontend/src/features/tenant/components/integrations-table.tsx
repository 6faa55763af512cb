import { StatusBadge } from '@/components/shared/status-badge';
import { EmptyState } from '@/components/shared/states';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

interface IntegrationRow {
  id: string;
  type: string;
  name: string;
  status: string;
  last_sync_at: string | null;
  last_error?: string | null;
}

export function IntegrationsTable({ integrations }: { integrations: readonly IntegrationRow[] }) {
  if (integrations.length === 0) return <EmptyState message={t.integrations.none} />;
  const showErrors = integrations.some((i) => i.last_error !== undefined);
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.integrations.name}</th>
            <th scope="col">{t.integrations.type}</th>
            <th scope="col">{t.integrations.status}</th>
            <th scope="col">{t.integrations.lastSync}</th>
            {showErrors && <th scope="col">{t.integrations.lastError}</th>}
          </tr>
        </thead>
        <tbody>
          {integrations.map((integration) => (
            <tr key={integration.id}>
              <th scope="row">{integration.name}</th>
              <td>{t.integrationTypes[integration.type] ?? integration.type}</td>
              <td><StatusBadge status={integration.status} /></td>
              <td>{formatDateTime(integration.last_sync_at)}</td>
              {showErrors && <td>{integration.last_error ?? '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
