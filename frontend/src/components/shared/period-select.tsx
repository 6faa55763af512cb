'use client';

import { useId } from 'react';
import type { Period } from '@/lib/api/types';
import { t } from '@/lib/i18n/pt-br';

export const PERIODS: readonly Period[] = ['7d', '30d', '90d'];

/** The 7/30/90-day switch, as a radio group (one tab stop, arrow keys move). */
export function PeriodSelect({ value, onChange }: { value: Period; onChange: (period: Period) => void }) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="sr-only">{t.periodLabel}</legend>
      {PERIODS.map((period) => (
        <label key={period} className={value === period ? 'selected' : ''}>
          <input type="radio" name={name} value={period} checked={value === period} onChange={() => onChange(period)} />
          {t.periods[period]}
        </label>
      ))}
    </fieldset>
  );
}
