import { t } from '@/lib/i18n/pt-br';

export function Pagination({ total, limit, offset, onChange }: { total: number; limit: number; offset: number; onChange: (offset: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  return (
    <nav className="pagination" aria-label="Paginação">
      <button type="button" className="button secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t.common.previous}
      </button>
      <span aria-live="polite">
        {t.common.page(page, pages)} · {total === 0 ? 0 : t.common.showing(offset + 1, Math.min(offset + limit, total), total)}
      </span>
      <button type="button" className="button secondary" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        {t.common.next}
      </button>
    </nav>
  );
}
