import type { ReactNode } from 'react';
import { formatInteger, formatRate } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';
import { EmptyState } from './states';

export interface RequestsRow {
  key: string;
  /** The row's header cell: a name, or a link to it. */
  label: ReactNode;
  total_requests: number;
  success_rate: number;
}

/** Who made how many requests and how many succeeded (top tenants, usage by agent); an empty state when none. */
export function RequestsTable({ rows, columns }: { rows: RequestsRow[]; columns: { name: string; total: string; rate: string } }) {
  if (rows.length === 0) return <EmptyState message={t.common.noData} />;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{columns.name}</th>
            <th scope="col" className="num">{columns.total}</th>
            <th scope="col" className="num">{columns.rate}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td className="num">{formatInteger(row.total_requests)}</td>
              <td className="num">{formatRate(row.success_rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
