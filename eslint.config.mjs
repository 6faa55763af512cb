// ESLint (flat config), run by `npm test`: the layering rules that keep the code navigable —
// nothing here is about style (Prettier-free by choice: the rules below are the ones a review
// cannot see at a glance). typescript-eslint parses TypeScript and TSX without type information.
import tseslint from 'typescript-eslint';

/** A module the Lambda bundles must never reach: the local runtime, the CDK app, the tooling. */
const NOT_IN_LAMBDA = [
  { group: ['**/local/**', '@local/*'], message: 'lambda/ runs in AWS: it must not import the local runtime (local/).' },
  { group: ['**/lib/**', '@lib/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'lambda/ must not import the CDK app (lib/) or the CDK.' },
  { group: ['**/test/**', '**/bench/**', '**/scripts/**'], message: 'lambda/ must not import tests, benchmarks or scripts.' },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'cdk.out/**', '.local/**', '.scratch/**', 'frontend/.next/**', 'frontend/out/**', 'frontend/next-env.d.ts', 'coverage/**'] },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    // ES modules everywhere; the few deliberate require()s (lazy, layer-resolved) say why, in place.
    rules: { '@typescript-eslint/no-require-imports': 'error' },
  },
  {
    files: ['lambda/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: NOT_IN_LAMBDA }] },
  },
  {
    // The database's migrations, runner and seed are used by the local runtime and the deploy's
    // migrations function; they never depend on the local runtime (the database tools' CLI, which
    // picks a local target, lives in local/).
    files: ['database/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/local/**', '@local/*'], message: 'database/ must not import the local runtime (local/): local/ depends on database/, not the reverse.' }] }] },
  },
  {
    // The web app takes the API's declarations from the backend — the route manifest (data) and,
    // as types only, the response schemas — and nothing else.
    files: ['frontend/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/lambda/**', '!**/lambda/routes', '@lambda/*', '@shared/*'], allowTypeImports: true, message: 'The web app may import the route manifest, and backend types only (import type).' },
            { group: ['**/local/**', '**/database/**', '@local/*', '@database/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'The web app must not import the local runtime, the CDK or the database tools.' },
          ],
        },
      ],
    },
  },
);
