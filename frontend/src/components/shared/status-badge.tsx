import { t } from '@/lib/i18n/pt-br';

const TONE: Record<string, string> = {
  active: 'ok', SUCCESS: 'ok', resolved: 'ok',
  inactive: 'muted', PENDING: 'muted', info: 'info',
  RUNNING: 'info', warning: 'warn', suspended: 'warn',
  error: 'bad', ERROR: 'bad', critical: 'bad', open: 'warn',
};

/** A status as text plus colour (never colour alone). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${TONE[status] ?? 'muted'}`} data-status={status}>
      {t.status[status] ?? status}
    </span>
  );
}
