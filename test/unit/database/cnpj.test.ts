import { cnpjCheckDigits, formatCnpj, isValidCnpj, makeCnpj, normalizeCnpj } from '@database/seed/cnpj';

describe('CNPJ', () => {
  it('accepts known valid CNPJs, formatted or digits only', () => {
    // GIVEN CNPJs whose check digits are published / independently computed
    const valid = ['11.222.333/0001-81', '11222333000181', '11.444.777/0001-61', '00.000.000/0001-91'];

    // WHEN / THEN
    for (const cnpj of valid) expect(isValidCnpj(cnpj)).toBe(true);
  });

  it('rejects a CNPJ with any single digit changed', () => {
    const digits = '11222333000181';
    for (let i = 0; i < digits.length; i++) {
      const changed = digits.slice(0, i) + String((Number(digits[i]) + 1) % 10) + digits.slice(i + 1);
      expect(isValidCnpj(changed)).toBe(false);
    }
  });

  it('rejects wrong lengths, letters and repeated digits', () => {
    for (const value of ['', '1122233300018', '112223330001810', '11.222.333/0001-8X', '11111111111111', '00000000000000']) {
      expect(isValidCnpj(value)).toBe(false);
    }
  });

  it('computes the check digits of a base', () => {
    expect(cnpjCheckDigits('112223330001')).toBe('81');
    expect(() => cnpjCheckDigits('11222333')).toThrow(RangeError);
  });

  it('formats and normalizes', () => {
    expect(formatCnpj('11222333000181')).toBe('11.222.333/0001-81');
    expect(normalizeCnpj('11.222.333/0001-81')).toBe('11222333000181');
    expect(() => formatCnpj('123')).toThrow(RangeError);
  });

  it('makes valid 14-digit CNPJs from any root and branch', () => {
    for (const [root, branch] of [[0, 1], [1, 1], [12_345_678, 1], [99_999_999, 2], [123_456_789_012, 9999]] as const) {
      const cnpj = makeCnpj(root, branch);
      expect(cnpj).toMatch(/^[0-9]{14}$/);
      expect(isValidCnpj(cnpj)).toBe(true);
    }
    expect(makeCnpj(12_345_678, 1).slice(8, 12)).toBe('0001');
    expect(() => makeCnpj(-1)).toThrow(RangeError);
    expect(() => makeCnpj(1, 0)).toThrow(RangeError);
  });
});
