// Two jest projects:
//  - unit: pure logic of the framework and the suites (parsers, statistics; *.test.ts), no cluster;
//  - lifecycle: clusters made and removed through the command line (*.e2e.ts), slow;
//  - conformance: the suites (suites/**/*.suite.ts), against a real cluster.
// The project is native ESM ("type": "module") because @kubernetes/client-node 2.x is ESM-only;
// jest runs with --experimental-vm-modules (see scripts/jest.ts) and a transformer that strips
// types with Node's own stripTypeScriptTypes, exactly as Node does when it runs the CLI.
import type { Config } from 'jest';

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest-strip-types.mjs' },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
} satisfies Config;

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{helpers,cli,clusters,reports,scripts,suites}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'lifecycle',
      testMatch: ['<rootDir>/{clusters,cli}/**/*.e2e.ts'],
    },
    {
      ...common,
      displayName: 'conformance',
      testMatch: ['<rootDir>/suites/**/*.suite.ts'],
      slowTestThreshold: 60,
    },
  ],
};

export default config;
