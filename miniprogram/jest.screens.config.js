// `make screenshots-mp`: renders every page in both modes against the real
// server (as the journeys do) and draws each with Chromium into
// docs/screenshots/miniprogram/*.png. Not part of `npm test`.
const base = require('./jest.config')
module.exports = Object.assign({}, base, { testMatch: ['<rootDir>/test/screens/**/*.shot.js'], testTimeout: 120000 })
