'use client';

import { PageHeader } from '@/components/shared/section';
import { UsageView } from '@/features/tenant/components/usage-view';
import { t } from '@/lib/i18n/pt-br';

export default function UsagePage() {
  return (
    <div className="stack">
      <PageHeader title={t.usage.title} />
      <UsageView />
    </div>
  );
}
