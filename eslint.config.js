// ESLint, configured once: typescript-eslint's recommended rules, no import cycles (import-x),
// the seams that hold by construction, and Prettier's formatting left to Prettier.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', '**/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Sources import './x.js' for './x.ts' (NodeNext): resolve as TypeScript does.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Records are read for callers only through the record reader, which records what it returns.
    files: ['**/*.ts'],
    ignores: ['subgraphs/agency/reader/**', 'subgraphs/agency/store/**', 'tests/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/store/scoped/*', '**/store/content.js'],
              message: 'Read records through the record reader (subgraphs/agency/reader/): it applies the scope and records disclosures.',
            },
          ],
        },
      ],
    },
  },
  {
    // lib/ is shared by every service: it depends on no service.
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/subgraphs/**', '**/gateway/**'], message: 'lib/ must not depend on a service; pass what it needs in.' }],
        },
      ],
    },
  },
  prettier,
);
