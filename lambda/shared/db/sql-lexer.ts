/**
 * The one SQL lexer: splits a statement into the ranges that are SQL code and the ranges that
 * only look like code (string literals, E'…' strings, quoted identifiers, $tag$ bodies and
 * comments). The placeholder finder and the migration splitter both read only the code ranges.
 */
export interface Range {
  kind: 'code' | 'literal' | 'comment';
  start: number;
  end: number;
}

const IDENT_CHAR = /[A-Za-z0-9_]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

export function lexSql(sql: string): Range[] {
  const ranges: Range[] = [];
  let codeStart = 0;
  let i = 0;
  const push = (kind: Range['kind'], start: number, end: number) => {
    if (codeStart < start) ranges.push({ kind: 'code', start: codeStart, end: start });
    ranges.push({ kind, start, end });
    codeStart = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'") {
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !IDENT_CHAR.test(sql[i - 2] ?? ' ');
      const end = skipQuoted(sql, i, "'", escapes);
      push('literal', i, end);
      i = end;
    } else if (c === '"') {
      const end = skipQuoted(sql, i, '"', false);
      push('literal', i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      const end = eol === -1 ? sql.length : eol;
      push('comment', i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      const end = skipBlockComment(sql, i);
      push('comment', i, end);
      i = end;
    } else if (c === '$' && !IDENT_CHAR.test(sql[i - 1] ?? ' ')) {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql);
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close === -1 ? sql.length : close + tag[0].length;
        push('literal', i, end);
        i = end;
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
  if (codeStart < sql.length) ranges.push({ kind: 'code', start: codeStart, end: sql.length });
  return ranges;
}

function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/**
 * Splits a script into its statements on the `;` that are SQL code, dropping empty ones and
 * statements made only of comments. The Data API runs one statement per call.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasCode = false;
  for (const range of lexSql(script)) {
    if (range.kind !== 'code') {
      if (range.kind === 'literal') hasCode = true;
      continue;
    }
    for (let i = range.start; i < range.end; i++) {
      if (script[i] === ';') {
        if (hasCode) statements.push(script.slice(start, i).trim());
        start = i + 1;
        hasCode = false;
      } else if (!/\s/.test(script[i]!)) {
        hasCode = true;
      }
    }
  }
  if (hasCode) statements.push(script.slice(start).trim());
  return statements;
}
