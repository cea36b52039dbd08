// Four jest projects:
//  - unit: pure logic of the framework and the suites (parsers, statistics; *.test.ts), no cluster;
//  - lifecycle: clusters made and removed through the command line (*.e2e.ts), slow;
//  - rbac: `netconform run` as the runner ServiceAccount of clusters/rbac/ on a cluster given by
//    KNC_RBAC_KUBECONFIG (clusters/rbac/*.rbac.ts; scripts/test.ts makes the cluster);
//  - conformance: the suites (suites/**/*.suite.ts), against a real cluster.
// The project is native ESM ("type": "module") because @kubernetes/client-node 2.x is ESM-only;
// jest runs with --experimental-vm-modules (see scripts/jest.ts) and a transformer that strips
// types with Node's own stripTypeScriptTypes, exactly as Node does when it runs the CLI.
// The conformance project records Allure results (allure-jest's node environment) into
// <KNC_REPORT_DIR>/allure-results; `netconform run` turns them into the HTML report afterwards.
import { join } from 'node:path';
import type { Config } from 'jest';

const reportDir = process.env.KNC_REPORT_DIR ?? join(import.meta.dirname, 'reports', 'out');

// Installed as a package, the project itself lies under a node_modules folder: only its own
// node_modules are dependencies (jest's defaults would ignore and not transform every file).
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest-strip-types.mjs' },
  transformIgnorePatterns: ['<rootDir>/node_modules/'],
  testPathIgnorePatterns: ['<rootDir>/node_modules/'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
} satisfies Config;

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{helpers,cli,clusters,reports,scripts,selftest,suites}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'lifecycle',
      testMatch: ['<rootDir>/{clusters,cli}/**/*.e2e.ts'],
    },
    {
      ...common,
      displayName: 'rbac',
      testMatch: ['<rootDir>/clusters/rbac/*.rbac.ts'],
    },
    {
      ...common,
      displayName: 'conformance',
      testMatch: ['<rootDir>/suites/**/*.suite.ts'],
      // Only suites/ is searched, so files under a node_modules path (an installed package) are
      // kept in jest's file map without crawling the dependencies.
      roots: ['<rootDir>/suites'],
      haste: { retainAllFiles: true },
      slowTestThreshold: 60,
      testEnvironment: 'allure-jest/node',
      testEnvironmentOptions: { resultsDir: join(reportDir, 'allure-results') },
    },
  ],
};

export default config;
