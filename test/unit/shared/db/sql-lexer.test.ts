import { splitStatements } from '@shared/db/sql-lexer';
import { findPlaceholders } from '@local/data-api/named-params';

describe('splitStatements', () => {
  test('splits on semicolons that are SQL code only', () => {
    const script = `
      -- a comment; with a semicolon
      CREATE TABLE a (x text DEFAULT 'a;b');
      /* block; /* nested; */ still comment; */
      CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
      CREATE FUNCTION g() RETURNS int AS $body$ SELECT 2; $body$ LANGUAGE sql;
      SELECT E'it\\'s;', "weird;name" FROM a
    `;
    expect(splitStatements(script)).toEqual([
      "-- a comment; with a semicolon\n      CREATE TABLE a (x text DEFAULT 'a;b')",
      '/* block; /* nested; */ still comment; */\n      CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql',
      'CREATE FUNCTION g() RETURNS int AS $body$ SELECT 2; $body$ LANGUAGE sql',
      `SELECT E'it\\'s;', "weird;name" FROM a`,
    ]);
  });

  test('drops empty statements and trailing comments', () => {
    expect(splitStatements(';;\n-- only a comment\n')).toEqual([]);
    expect(splitStatements('SELECT 1;;SELECT 2; -- end')).toEqual(['SELECT 1', 'SELECT 2']);
  });
});

describe('findPlaceholders', () => {
  test('finds :names and ignores casts, literals, identifiers and comments', () => {
    const sql = `SELECT :a::text, ':not', "col:umn", $$ :nope $$ -- :comment
      FROM t WHERE x = :b AND y = CAST(:a AS uuid) /* :c */ AND z = $1`;
    expect(findPlaceholders(sql).map((ph) => ph.name)).toEqual(['a', 'b', 'a']);
  });

  test('a double colon followed by a name is a cast', () => {
    expect(findPlaceholders('SELECT x::int, :y').map((ph) => ph.name)).toEqual(['y']);
  });
});
