// Tests drive the real pages (miniprogram-simulate) against a real Go server
// that globalSetup builds and starts (own MariaDB database, own Redis prefix).
module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup/wx.js'],
  testTimeout: 30000,
  // One file at a time: every file shares the one server and demo city, and
  // several compare a page with the server's answer for the same town (the
  // inbox filters, this month against this year); a second file submitting or
  // withdrawing between those two reads made them flaky under parallel workers.
  maxWorkers: 1,
}
