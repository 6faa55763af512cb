'use client';

import { useId, useState } from 'react';
import { StatusBadge } from '@/components/shared/status-badge';
import { EmptyState, QueryState } from '@/components/shared/states';
import type { CommandStatus, CommandType } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';
import { useCommands, type CommandFilters } from '../api/commands';

const STATUSES: readonly CommandStatus[] = ['PENDING', 'RUNNING', 'SUCCESS', 'ERROR'];
const TYPES: readonly CommandType[] = ['HEALTH_CHECK', 'RESTART_AGENT', 'RESET_TOKEN', 'REPROCESS_QUEUE'];

function result(output: string | null, error: string | null): string {
  if (error) return error;
  if (!output) return '—';
  try {
    return JSON.stringify(JSON.parse(output), null, 1);
  } catch {
    return output;
  }
}

/** Newest first, filterable; polls while a listed command is still PENDING or RUNNING. */
export function CommandHistory({ tenantId }: { tenantId?: string }) {
  const [status, setStatus] = useState<CommandStatus | ''>('');
  const [type, setType] = useState<CommandType | ''>('');
  const [limit, setLimit] = useState(20);
  const filters: CommandFilters = { ...(status && { status }), ...(type && { command_type: type }), ...(tenantId && { tenant_id: tenantId }) };
  const commands = useCommands(filters, limit);
  const ids = { status: useId(), type: useId() };
  const live = commands.data?.commands.some((c) => c.status === 'PENDING' || c.status === 'RUNNING');

  return (
    <div className="stack">
      <fieldset className="toolbar" style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend className="sr-only">{t.operations.filters}</legend>
        <div className="field">
          <label htmlFor={ids.status}>{t.operations.status}</label>
          <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value as CommandStatus | '')}>
            <option value="">{t.operations.allStatuses}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{t.status[s]}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.type}>{t.operations.type}</label>
          <select id={ids.type} value={type} onChange={(e) => setType(e.target.value as CommandType | '')}>
            <option value="">{t.operations.allTypes}</option>
            {TYPES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </div>
        {live && <p className="hint" role="status">{t.operations.live}</p>}
      </fieldset>
      <QueryState query={commands} lines={6}>
        {(data) =>
          data.commands.length === 0 ? (
            <EmptyState message={t.operations.none} />
          ) : (
            <>
              <div className="table-wrap">
                <table data-testid="command-history">
                  <thead>
                    <tr>
                      <th scope="col">{t.operations.type}</th>
                      <th scope="col">{t.operations.tenant}</th>
                      <th scope="col">{t.operations.status}</th>
                      <th scope="col">{t.operations.createdAt}</th>
                      <th scope="col">{t.operations.completedAt}</th>
                      <th scope="col">{t.operations.result}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.commands.map((command) => (
                      <tr key={command.command_id} data-command-id={command.command_id}>
                        <th scope="row">{command.command_type}</th>
                        <td>{command.tenant_name ?? t.operations.noTenant}</td>
                        <td aria-live="polite"><StatusBadge status={command.status} /></td>
                        <td>{formatDateTime(command.created_at)}</td>
                        <td>{formatDateTime(command.completed_at)}</td>
                        <td>
                          <details>
                            <summary>{t.operations.result}</summary>
                            <pre>{result(command.output, command.error_message)}</pre>
                          </details>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {data.commands.length < data.total && limit < 100 && (
                <button type="button" className="button secondary" onClick={() => setLimit(Math.min(100, limit + 20))}>
                  {t.operations.loadMore}
                </button>
              )}
            </>
          )
        }
      </QueryState>
    </div>
  );
}
