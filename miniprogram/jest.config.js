// Tests drive the real pages (miniprogram-simulate) against a real Go server
// that globalSetup builds and starts (own MariaDB database, own Redis prefix).
module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup/wx.js'],
  testTimeout: 30000,
  maxWorkers: 2,
}
