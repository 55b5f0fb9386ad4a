import { defineConfig } from '@playwright/test'

// Debian's chromium (apt-get install chromium): Playwright's own browser
// download is not used. ZL_CHROMIUM overrides the path.
const executablePath = process.env.ZL_CHROMIUM || '/usr/bin/chromium'

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1, // one Go server, two cores shared with everything else
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: ['--no-sandbox'] },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    testIdAttribute: 'data-test',
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    { name: 'journeys', testMatch: /journeys\/.*\.spec\.ts/ },
    { name: 'screenshots', testMatch: /screenshots\.spec\.ts/ },
  ],
})
