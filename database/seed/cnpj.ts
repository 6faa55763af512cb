/**
 * CNPJ (Brazilian company registry number): 8 digits of root, 4 of branch ("0001" = head office)
 * and 2 check digits, each a weighted sum modulo 11. Stored as 14 digits; formatted only for display.
 */

const FIRST_WEIGHTS = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const SECOND_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;

function checkDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i]!;
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** The two check digits of the first 12 digits of a CNPJ. */
export function cnpjCheckDigits(first12: string): string {
  if (!/^[0-9]{12}$/.test(first12)) throw new RangeError(`a CNPJ base must be 12 digits, got "${first12}"`);
  const first = checkDigit(first12, FIRST_WEIGHTS);
  const second = checkDigit(first12 + String(first), SECOND_WEIGHTS);
  return `${first}${second}`;
}

/** Keeps the digits only: "11.222.333/0001-81" → "11222333000181". */
export function normalizeCnpj(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * Whether `value` (digits only or formatted) is a CNPJ with correct check digits. Sequences of one
 * repeated digit pass the arithmetic but are not valid registrations, so they are rejected.
 */
export function isValidCnpj(value: string): boolean {
  if (!/^[0-9./\-\s]*$/.test(value)) return false;
  const digits = normalizeCnpj(value);
  if (digits.length !== 14 || /^(\d)\1{13}$/.test(digits)) return false;
  return cnpjCheckDigits(digits.slice(0, 12)) === digits.slice(12);
}

/** "11222333000181" → "11.222.333/0001-81". */
export function formatCnpj(value: string): string {
  const digits = normalizeCnpj(value);
  if (digits.length !== 14) throw new RangeError(`a CNPJ has 14 digits, got "${value}"`);
  return `${digits.slice(0, 2)}.${digits.slice(2, 5)}.${digits.slice(5, 8)}/${digits.slice(8, 12)}-${digits.slice(12)}`;
}

/**
 * A valid CNPJ (digits only) from a root of 8 digits and a branch number (1 = head office).
 * `root` is taken modulo 10^8, so any non-negative integer from a PRNG will do.
 */
export function makeCnpj(root: number, branch = 1): string {
  if (!Number.isSafeInteger(root) || root < 0) throw new RangeError(`invalid CNPJ root: ${root}`);
  if (!Number.isInteger(branch) || branch < 1 || branch > 9999) throw new RangeError(`invalid CNPJ branch: ${branch}`);
  const first12 = String(root % 100_000_000).padStart(8, '0') + String(branch).padStart(4, '0');
  return first12 + cnpjCheckDigits(first12);
}
