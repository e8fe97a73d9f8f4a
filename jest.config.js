const common = {
  preset: "ts-jest/presets/default-esm",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }] },
  testEnvironment: "node",
  setupFiles: ["<rootDir>/tests/setup-env.ts"],
};

const roots = ["<rootDir>/packages", "<rootDir>/subgraphs", "<rootDir>/router", "<rootDir>/tests", "<rootDir>/scripts", "<rootDir>/bench"];

/** @type {import("jest").Config} */
const config = {
  // Per-project testTimeout is ignored by Jest 30; integration and e2e tests need more than 5 s.
  testTimeout: 120_000,
  // A test that fails before its clean-up can leave a socket or timer behind; the run must still end (CI has a
  // hard time limit). Leaks are found with `jest --detectOpenHandles`, not by hanging CI.
  forceExit: true,
  // Most suites wait on PostgreSQL, Redis and HTTP rather than the CPU: three workers on this two-core machine
  // finish the run in about a third of the time one worker takes (Jest's default is cores - 1). Suites use their
  // own data, so they run side by side.
  maxWorkers: 3,
  projects: [
    {
      ...common,
      displayName: "unit",
      roots,
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["\\.int\\.test\\.ts$", "\\.e2e\\.test\\.ts$", "\\.browser\\.test\\.ts$", "/node_modules/"],
    },
    {
      ...common,
      displayName: "unit-tz",
      roots: ["<rootDir>/subgraphs/scheduling"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["\\.int\\.test\\.ts$", "\\.e2e\\.test\\.ts$", "\\.browser\\.test\\.ts$", "/node_modules/"],
      setupFilesAfterEnv: ["<rootDir>/tests/setup-tz.ts"], // process TZ = Pacific/Kiritimati (UTC+14), see that file
    },
    {
      // The web app's component tests: React in jsdom, compiled with the app's own tsconfig (JSX, bundler resolution).
      ...common,
      displayName: "web",
      roots: ["<rootDir>/apps/web/tests/unit"],
      testMatch: ["**/*.test.ts", "**/*.test.tsx"],
      extensionsToTreatAsEsm: [".ts", ".tsx"],
      transform: { "^.+\\.tsx?$": ["ts-jest", { useESM: true, tsconfig: "apps/web/tsconfig.json" }] },
      testEnvironment: "<rootDir>/apps/web/node_modules/jest-environment-jsdom",
      setupFiles: [],
      setupFilesAfterEnv: ["<rootDir>/apps/web/tests/setup.ts"],
    },
    { ...common, displayName: "integration", roots, testMatch: ["**/*.int.test.ts"], testTimeout: 60_000 },
    { ...common, displayName: "e2e", roots, testMatch: ["**/*.e2e.test.ts"], testTimeout: 120_000 },
    // The web app in Chromium against the stack `pnpm start` runs (tests/browser/harness.ts).
    {
      ...common,
      displayName: "browser",
      roots: ["<rootDir>/tests/browser"],
      testMatch: ["**/*.browser.test.ts"],
      testTimeout: 180_000,
      globalSetup: "<rootDir>/tests/browser/globalSetup.ts",
      globalTeardown: "<rootDir>/tests/browser/globalTeardown.ts",
    },
  ],
};
export default config;
