// Setting up the demo city behind the UI's back for the journeys: liaison
// points with a weekly rule (as the demo admin of 祖庙街道), a session today,
// residents with a profile, and a real small JPEG for wx.chooseMedia.
const fs = require('fs')
const os = require('os')
const path = require('path')
const { call, staffToken, orgId } = require('./mp')

// A 16×16 JPEG written by Go's image/jpeg (the server decodes and re-encodes it).
const JPEG_BASE64 =
  '/9j/2wCEAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk8BDg4OExETJhUVJk81LTVPT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT//AABEIABAAEAMBIgACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AOYtdO6fLWva6d0+Wte107p8tbFrp3T5aqvjvMMqzHbU/9k='

/** Writes the JPEG to a temp file (what wx.chooseMedia hands back) and returns its path. */
function photoFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zlmp-photo-'))
  const p = path.join(dir, 'tmp_photo.jpg')
  fs.writeFileSync(p, Buffer.from(JPEG_BASE64, 'base64'))
  return p
}

/** A name unique to this run and file, e.g. for a point. */
function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`
}

/** Expects a 2xx answer and returns its data. */
function must(r, what) {
  if (r.status < 200 || r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.data
}

let admin = null
/** The demo admin of 祖庙街道. */
async function adminToken() {
  if (!admin) admin = (await staffToken('zumiao_admin', 'Demo2026zl')).token
  return admin
}

/**
 * A liaison point in a community of 祖庙街道 (or of the town of `admin`, a
 * token of that town's admin) with a weekly rule.
 * @param {{name?: string, community?: string, lat?: number, lng?: number, weekday?: number,
 *   windows?: {start: string, end: string}[], slotMinutes?: number, capacity?: number, cutoffHours?: number, admin?: string}} o
 */
async function createPoint(o) {
  const tok = o.admin || (await adminToken())
  const body = { org_id: await orgId(o.community || '兆祥社区'), name: o.name || unique('测试驻点'), address: `${o.name || '测试'}所在地址` }
  if (o.lat !== undefined) Object.assign(body, { lat: o.lat, lng: o.lng })
  const point = must(await call('POST', '/admin/points', body, tok), 'create point')
  const rule = must(
    await call(
      'PUT',
      `/admin/points/${point.id}/schedule`,
      {
        weekday: o.weekday || 2,
        windows: o.windows || [{ start: '09:00', end: '11:00' }],
        slot_minutes: o.slotMinutes || 30,
        slot_capacity: o.capacity || 3,
        open_days_ahead: 14,
        cutoff_hours: o.cutoffHours === undefined ? 12 : o.cutoffHours,
      },
      tok
    ),
    'put schedule'
  )
  return { point, rule }
}

/** Beijing wall-clock now: {date 'YYYY-MM-DD', minutes after midnight, isoWeekday 1..7}. */
function beijingNow() {
  const bj = new Date(Date.now() + 8 * 3600 * 1000)
  const pad = (n) => String(n).padStart(2, '0')
  return {
    date: `${bj.getUTCFullYear()}-${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())}`,
    minutes: bj.getUTCHours() * 60 + bj.getUTCMinutes(),
    isoWeekday: bj.getUTCDay() || 7,
  }
}

const clock = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

/**
 * An extra session today whose slots still take bookings (they start a few
 * minutes from now; the point's rule should have cutoff_hours 0). Bookings
 * need a slot in the future and check-in needs the session's date, so this
 * cannot work in the last minutes before midnight, Beijing time.
 * @param {number} pointId
 * @param {number} slotMinutes
 * @param {string} [admin] a token of the point's town's admin (default: 祖庙街道's)
 */
async function sessionToday(pointId, slotMinutes, admin) {
  const now = beijingNow()
  const start = Math.ceil((now.minutes + 5) / 5) * 5
  const end = start + 2 * slotMinutes
  if (end > 24 * 60) throw new Error(`no room for a bookable session today after ${clock(now.minutes)} Beijing time; run again after midnight`)
  return must(
    await call('POST', `/admin/points/${pointId}/sessions`, { date: now.date, windows: [{ start: clock(start), end: clock(end) }], reason: '测试加开' }, admin || (await adminToken())),
    'add session today'
  )
}

/** Signs a resident in directly and saves a complete profile; returns {token, resident, profile}. */
async function resident(code, profile) {
  const login = must(await call('POST', '/auth/wechat', { code }), 'wechat login')
  const body = Object.assign({ name: '测试居民', community_id: await orgId('兆祥社区'), residency: 'non_hukou' }, profile || {})
  const p = must(await call('PUT', '/my/profile', body, login.token), 'put profile')
  return { token: login.token, resident: Object.assign({}, login.resident, p), profile: p }
}

/** The point's upcoming sessions as the public sees them. */
async function sessionsOf(pointId) {
  return must(await call('GET', `/points/${pointId}/sessions`), 'point sessions').items
}

/**
 * Makes an open item overdue by moving its current due time two hours into
 * the past, in the test server's own database (its clock cannot be moved).
 * @param {number} requestId
 */
function backdate(requestId) {
  const { execFileSync } = require('child_process')
  const sql = `UPDATE requests SET accept_due_at = UTC_TIMESTAMP(3) - INTERVAL 2 HOUR, due_at = UTC_TIMESTAMP(3) - INTERVAL 2 HOUR WHERE id = ${Number(requestId)} AND status = 'submitted'`
  execFileSync('mysql', ['-h127.0.0.1', '-uroot', process.env.ZL_TEST_DB, '-e', `${sql}; SELECT ROW_COUNT()`]).toString()
}

module.exports = { backdate, photoFile, unique, must, adminToken, createPoint, beijingNow, sessionToday, resident, sessionsOf, JPEG_BASE64 }
