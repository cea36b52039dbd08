// Lint rules for the whole project: typescript-eslint's strict, type-aware set.
// CI runs eslint with --max-warnings 0, so a warning fails the build like an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/out/', 'coverage/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // @kubernetes/client-node's models (V1Pod, V1Service, …) are generated classes that hold
      // data only; the client serializes plain objects the same way, and manifests written as
      // object literals are how its own examples build them. These two rules would force
      // `Object.assign(new V1Pod(), …)` everywhere for no gain.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-misused-spread': 'off',
    },
  },
  {
    files: ['scripts/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
