import { StatusBadge } from '@/components/shared/status-badge';
import { EmptyState } from '@/components/shared/states';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';

interface IncidentRow {
  id: string;
  severity: string;
  title: string;
  description?: string;
  created_at: string;
  resolved_at?: string | null;
}

export function IncidentsTable({ incidents }: { incidents: readonly IncidentRow[] }) {
  if (incidents.length === 0) return <EmptyState message={t.incidents.none} />;
  const withResolution = incidents.some((i) => i.resolved_at !== undefined);
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.incidents.incident}</th>
            <th scope="col">{t.incidents.severity}</th>
            <th scope="col">{t.incidents.createdAt}</th>
            {withResolution && <th scope="col">{t.incidents.resolvedAt}</th>}
          </tr>
        </thead>
        <tbody>
          {incidents.map((incident) => (
            <tr key={incident.id}>
              <th scope="row">
                {incident.title}
                {incident.description && <span className="muted block">{incident.description}</span>}
              </th>
              <td><StatusBadge status={incident.severity} /></td>
              <td>{formatDateTime(incident.created_at)}</td>
              {withResolution && <td>{incident.resolved_at ? formatDateTime(incident.resolved_at) : <StatusBadge status="open" />}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
