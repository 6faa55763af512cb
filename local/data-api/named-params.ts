import { lexSql } from '@shared/db/sql-lexer';

/** A `:name` placeholder of a Data API statement. */
export interface Placeholder {
  name: string;
  start: number;
  end: number;
}

/** `::` is a cast and is consumed whole; `:name` is a placeholder. */
const COLON = /::|:([A-Za-z_][A-Za-z0-9_]*)/g;

/** Finds the placeholders, ignoring anything inside literals, quoted identifiers and comments. */
export function findPlaceholders(sql: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const range of lexSql(sql)) {
    if (range.kind !== 'code') continue;
    const code = sql.slice(range.start, range.end);
    for (const match of code.matchAll(COLON)) {
      if (match[1]) found.push({ name: match[1], start: range.start + match.index, end: range.start + match.index + match[0].length });
    }
  }
  return found;
}

/** Replaces each placeholder with what `render(name)` returns (e.g. `$1::uuid`). */
export function replacePlaceholders(sql: string, placeholders: Placeholder[], render: (name: string) => string): string {
  let out = '';
  let last = 0;
  for (const ph of placeholders) {
    out += sql.slice(last, ph.start) + render(ph.name);
    last = ph.end;
  }
  return out + sql.slice(last);
}
