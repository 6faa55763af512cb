'use client';

import Link from 'next/link';
import { useEffect, useId, useState } from 'react';
import { Pagination } from '@/components/shared/pagination';
import { StatusBadge } from '@/components/shared/status-badge';
import { EmptyState, QueryState } from '@/components/shared/states';
import type { ListTenantsQuery } from '@/lib/api/types';
import { formatBRL, formatCnpj, formatInteger } from '@/lib/format';
import { t } from '@/lib/i18n/pt-br';
import { useTenantsList } from '../api/queries';

const PLANS = ['starter', 'professional', 'enterprise'] as const;
const SEGMENTS = Object.keys(t.segments);
const STATUSES = ['active', 'inactive', 'suspended', 'all'] as const;
type SortKey = 'name' | 'created_at' | 'mrr_estimate';
const LIMIT = 20;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Filters (status, plan, segment), debounced search by name or CNPJ, sortable and paginated. */
export function TenantsTable() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('active');
  const [plan, setPlan] = useState('');
  const [segment, setSegment] = useState('');
  const [search, setSearch] = useState('');
  const [sortBy, setSortBy] = useState<SortKey>('name');
  const [sortOrder, setSortOrder] = useState<'asc' | 'desc'>('asc');
  const [offset, setOffset] = useState(0);
  const debouncedSearch = useDebounced(search.trim(), 300);
  const ids = { status: useId(), plan: useId(), segment: useId(), search: useId() };

  useEffect(() => setOffset(0), [status, plan, segment, debouncedSearch, sortBy, sortOrder]);

  const filters: ListTenantsQuery = {
    status,
    ...(plan && { plan: plan as ListTenantsQuery['plan'] }),
    ...(segment && { segment: segment as ListTenantsQuery['segment'] }),
    ...(debouncedSearch && { search: debouncedSearch }),
    sort_by: sortBy,
    sort_order: sortOrder,
    limit: String(LIMIT),
    offset: String(offset),
  } as ListTenantsQuery;
  const tenants = useTenantsList(filters);

  const sortHeader = (key: SortKey, label: string, className?: string) => {
    const active = sortBy === key;
    return (
      <th scope="col" className={className} aria-sort={active ? (sortOrder === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button
          type="button"
          className="sort"
          onClick={() => {
            if (active) setSortOrder(sortOrder === 'asc' ? 'desc' : 'asc');
            else (setSortBy(key), setSortOrder('asc'));
          }}
        >
          {label} {active ? (sortOrder === 'asc' ? '▲' : '▼') : ''}
          <span className="sr-only">{active ? `, ${sortOrder === 'asc' ? t.common.sortAsc : t.common.sortDesc}` : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="stack">
      <div className="toolbar" role="search">
        <div className="field">
          <label htmlFor={ids.search}>{t.tenants.search}</label>
          <input id={ids.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Ex.: 12.345.678/0001-90" />
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t.tenants.status}</label>
          <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{s === 'all' ? t.common.all : t.status[s]}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.plan}>{t.tenants.plan}</label>
          <select id={ids.plan} value={plan} onChange={(e) => setPlan(e.target.value)}>
            <option value="">{t.tenants.allPlans}</option>
            {PLANS.map((p) => (
              <option key={p} value={p}>{t.plans[p]}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.segment}>{t.tenants.segment}</label>
          <select id={ids.segment} value={segment} onChange={(e) => setSegment(e.target.value)}>
            <option value="">{t.tenants.allSegments}</option>
            {SEGMENTS.map((s) => (
              <option key={s} value={s}>{t.segments[s]}</option>
            ))}
          </select>
        </div>
      </div>
      <QueryState query={tenants} lines={8}>
        {(data) =>
          data.tenants.length === 0 ? (
            <EmptyState message={t.tenants.none} />
          ) : (
            <>
              <div className="table-wrap" aria-busy={tenants.isFetching}>
                <table data-testid="tenants-table">
                  <thead>
                    <tr>
                      {sortHeader('name', t.tenants.name)}
                      <th scope="col">{t.tenants.cnpj}</th>
                      <th scope="col">{t.tenants.segment}</th>
                      <th scope="col">{t.tenants.plan}</th>
                      <th scope="col">{t.tenants.status}</th>
                      {sortHeader('mrr_estimate', t.tenants.mrr, 'num')}
                      <th scope="col" className="num">{t.tenants.agents}</th>
                      <th scope="col" className="num">{t.tenants.usage30d}</th>
                      <th scope="col">{t.tenants.actions}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.tenants.map((tenant) => (
                      <tr key={tenant.id}>
                        <th scope="row">{tenant.name}</th>
                        <td>{formatCnpj(tenant.cnpj)}</td>
                        <td>{t.segments[tenant.segment] ?? tenant.segment}</td>
                        <td>{t.plans[tenant.plan] ?? tenant.plan}</td>
                        <td><StatusBadge status={tenant.status} /></td>
                        <td className="num">{formatBRL(tenant.mrr_estimate)}</td>
                        <td className="num">{formatInteger(tenant.active_agents)}</td>
                        <td className="num">{formatInteger(tenant.requests_last_30_days)}</td>
                        <td>
                          <Link href={`/company/tenants/detail/?id=${tenant.id}`} aria-label={`${t.tenants.open} ${tenant.name}`}>
                            {t.tenants.open}
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination total={data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
            </>
          )
        }
      </QueryState>
    </div>
  );
}
