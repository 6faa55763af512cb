/** Every number, date and amount the UI shows goes through these (pt-BR, BRL). */
const LOCALE = 'pt-BR';

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });
const brl = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'BRL' });
const brlCompact = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'BRL', notation: 'compact', maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
// API days are UTC calendar days: format them in UTC so they never shift by a day.
const day = new Intl.DateTimeFormat(LOCALE, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const dayShort = new Intl.DateTimeFormat(LOCALE, { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'short', timeStyle: 'short' });

export const formatInteger = (value: number): string => integer.format(value);
export const formatCompact = (value: number): string => compact.format(value);
export const formatBRL = (value: number): string => brl.format(value);
export const formatBRLCompact = (value: number): string => brlCompact.format(value);
/** A 0–1 fraction as a percentage ("98,5%"). */
export const formatRate = (value: number): string => percent.format(value);
export const formatMillis = (value: number): string => `${integer.format(value)} ms`;
/** `YYYY-MM-DD` (UTC day) → "31/10/2026". */
export const formatDay = (value: string): string => day.format(new Date(`${value}T00:00:00Z`));
export const formatDayShort = (value: string): string => dayShort.format(new Date(`${value}T00:00:00Z`));
/** ISO timestamp → local date and time; "—" when absent. */
export const formatDateTime = (value: string | null | undefined): string => (value ? dateTime.format(new Date(value)) : '—');
/** 14 digits → "11.222.333/0001-81". */
export const formatCnpj = (value: string): string =>
  /^\d{14}$/.test(value) ? value.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, '$1.$2.$3/$4-$5') : value;
