import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The project's own rules: where SQL may be written, and how a route reads its input. */
const local = {
  rules: {
    'sql-in-repos': {
      meta: {
        type: 'problem',
        messages: { sql: 'SQL belongs in a *.repo.ts file: call a repository function instead.' },
      },
      create: (context) => ({
        "CallExpression[callee.type='MemberExpression'][callee.property.name='query']"(node) {
          context.report({ node, messageId: 'sql' });
        },
      }),
    },
    'typed-requests': {
      meta: {
        type: 'problem',
        messages: { cast: 'Give the route a TypeBox schema and let the type provider type it; do not cast.' },
      },
      create: (context) => ({
        'TSAsExpression > MemberExpression.expression[object.name=/^(request|req)$/][property.name=/^(params|body|query)$/]'(
          node,
        ) {
          context.report({ node, messageId: 'cast' });
        },
      }),
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'var/', 'public/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // SQL lives in repositories (and the migration runner): a `.query(` call anywhere else fails the build.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['**/*.repo.ts', 'src/db/**'],
    plugins: { local },
    rules: { 'local/sql-in-repos': 'error' },
  },
  {
    // Routes are typed by their TypeBox schemas: never cast request.params, body or query.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    plugins: { local },
    rules: { 'local/typed-requests': 'error' },
  },
  {
    files: ['scripts/**', 'public/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
