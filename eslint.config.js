// Lint: TypeScript rules plus the layer boundaries of DESIGN.md (engine <- rl <- worker <- app, rl <- cli).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const layer = (dir, forbidden) => ({
  files: [`src/${dir}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((f) => ({
        group: [`**/${f}/**`, `**/${f}`],
        message: `src/${dir} must not import from src/${f} (layers: engine <- rl <- worker <- app, rl <- cli).`,
      })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'public'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/app/**/*.tsx'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  layer('engine', ['rl', 'worker', 'app', 'cli']),
  layer('rl', ['worker', 'app', 'cli']),
  layer('worker', ['app', 'cli']),
  layer('app', ['cli', 'engine']),
  layer('cli', ['worker', 'app']),
);
