'use client';

import { useState } from 'react';
import { Pagination } from '@/components/shared/pagination';
import { PageHeader } from '@/components/shared/section';
import { QueryState } from '@/components/shared/states';
import { useTenantIncidents } from '@/features/tenant/api/queries';
import { IncidentsTable } from '@/features/tenant/components/incidents-table';
import { t } from '@/lib/i18n/pt-br';

const LIMIT = 20;

export default function SupportPage() {
  const [offset, setOffset] = useState(0);
  const incidents = useTenantIncidents(LIMIT, offset);
  return (
    <div className="stack">
      <PageHeader title={t.incidents.title} />
      <p className="notice">{t.incidents.supportHint}</p>
      <div className="card">
        <QueryState query={incidents} lines={6}>
          {(data) => (
            <>
              <IncidentsTable incidents={data.incidents} />
              <Pagination total={data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
            </>
          )}
        </QueryState>
      </div>
    </div>
  );
}
