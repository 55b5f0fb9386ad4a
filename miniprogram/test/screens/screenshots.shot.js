// `make screenshots-mp`: every page of app.json in normal and elder mode,
// loaded against the real test server with some data behind it (a request
// with a photo, a liaison point, a booking), the page's DOM plus app.wxss,
// the page's and its components' WXSS (rpx → px at 375 px wide) written to
// an HTML file and drawn by Chromium (CHROMIUM, default /usr/bin/chromium)
// into docs/screenshots/miniprogram/<page>-<normal|elder>.png at 2×.
const { execFileSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { ROOT, render, call, cadre, wxState, settled } = require('../helpers/mp')
const { resident, createPoint, sessionsOf, photoFile, must } = require('../helpers/city')
const api = require('../../utils/api')
const session = require('../../utils/session')
const prefs = require('../../utils/prefs')

const OUT = path.join(ROOT, '..', 'docs', 'screenshots', 'miniprogram')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const WIDTH = 375
const HEIGHT = 900
const pages = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).pages

// WeChat's built-in elements as the renderer draws them (close to WeChat's own look).
const BASE_CSS = `
body { margin: 0; font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
wx-view, wx-scroll-view, wx-form, wx-label, wx-picker, wx-radio-group, wx-checkbox-group, wx-block { display: block; }
wx-text { display: inline; }
wx-button { display: block; position: relative; box-sizing: border-box; text-align: center; font-size: 18px; line-height: 2.55; border-radius: 5px; padding: 0 14px; background: #f2f2f2; color: #000; margin: 0 auto; border: 1px solid rgba(0,0,0,.1); }
wx-button[size="mini"] { display: inline-block; font-size: 13px; line-height: 2.3; padding: 0 1.34em; }
wx-input, wx-textarea { display: block; min-height: 1.4em; }
wx-textarea { height: 150px; }
wx-switch { display: inline-block; width: 52px; height: 32px; border-radius: 16px; background: #e5e5e5; }
wx-switch[checked] { background: #1d5fbf; }
wx-image { display: inline-block; width: 320px; height: 240px; background: #e8eaed center / cover no-repeat; }
wx-map { display: block; background: #dfe9f3; position: relative; }
wx-map::after { content: "地图"; position: absolute; left: 50%; top: 50%; transform: translate(-50%,-50%); color: #5f6368; }
wx-picker-view, wx-navigator { display: block; }
`

/** WXSS → CSS for one prefix: rpx to px, `page` to body, each class selector prefixed. */
function css(file, prefixes) {
  if (!fs.existsSync(file)) return ''
  let src = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
  src = src.replace(/(-?\d*\.?\d+)rpx/g, (_, n) => `${(Number(n) * WIDTH) / 750}px`)
  return prefixes
    .map((pre) =>
      src.replace(/([^{}]+)\{/g, (all, sel) =>
        `${sel
          .split(',')
          .map((s) => s.trim().replace(/^page\b/, 'body').replace(/\.([A-Za-z_][\w-]*)/g, (all2, c) => (c === 'elder' ? '.main--elder' : `.${pre}${c}`)).replace(/(^|\s)(view|text|button|image|input|textarea|picker|switch|map)\b/g, '$1wx-$2'))
          .join(', ')} {`
      )
    )
    .join('\n')
}

/** The page's DOM as HTML with each <wx-image src> shown as a background. */
function html(comp, style) {
  let body = comp.dom.outerHTML
  body = body.replace(/<wx-image([^>]*?)\ssrc="([^"]*)"([^>]*)>/g, (all, a, src, b) => `<wx-image${a}${b} style="background-image:url('${src}')">`)
  return `<!doctype html><html><head><meta charset="utf-8"><style>${BASE_CSS}\n${style}</style></head><body>${body}</body></html>`
}

/** Every component a page uses (transitively), as wxss paths. */
function componentStyles(pageRel) {
  const seen = new Set()
  const walk = (rel) => {
    const j = path.join(ROOT, `${rel}.json`)
    if (!fs.existsSync(j)) return
    const using = JSON.parse(fs.readFileSync(j, 'utf8')).usingComponents || {}
    Object.values(using).forEach((u) => {
      const abs = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, rel)), u))
      if (!seen.has(abs)) {
        seen.add(abs)
        walk(abs)
      }
    })
  }
  walk(pageRel)
  return [...seen].map((c) => path.join(ROOT, `${c}.wxss`))
}

const logins = {}
const ids = {}

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true })
  const r = await resident('mp-screens', { name: '李秀英' })
  logins.resident = { token: r.token, resident: r.resident }
  logins.staff = cadre()
  wx.setStorageSync('zl_base_url', process.env.ZL_TEST_BASE_URL) // beforeAll runs before the shim's reset
  session.save(logins.resident, 'resident')
  const up = await api.upload(photoFile())
  const req = must(await call('POST', '/my/requests', { category_id: 1, content: '兆祥路12号门口的路灯坏了一个多月，晚上很黑，老人出门不方便。', community_id: r.resident.community_id, address: '兆祥路12号', image_ids: [up.id] }, r.token), 'submit')
  ids.request = req.id
  ids.shareToken = must(await call('POST', `/my/requests/${req.id}/share`, {}, r.token), 'share').token
  const point = (await createPoint({ name: '兆祥社区党群服务中心', lat: 23.0317, lng: 113.1158, capacity: 3 })).point
  ids.point = point.id
  const slot = (await sessionsOf(point.id)).flatMap((s) => s.slots).find((sl) => sl.bookable)
  if (slot) must(await call('POST', '/my/bookings', { slot_id: slot.id, topic: '小区加装电梯的补贴怎么申请' }, r.token), 'book')
})

const cases = []
for (const p of pages) for (const elder of [false, true]) cases.push([p, elder])

test.each(cases)('%s (elder %s)', async (p, elder) => {
  const staff = p.startsWith('pages/work/') && p !== 'pages/work/login/login'
  const mode = staff ? 'staff' : 'resident'
  session.save(logins[mode], mode)
  if (staff) session.setAccount(logins.staff.account)
  else session.setResident(logins.resident.resident)
  prefs.setElder(elder)
  wxState().pages = [{ route: p }]
  const comp = render(`/${p}`)
  const query = p === 'pages/points/points' ? { scene: encodeURIComponent(`p=${ids.point}`) } : p === 'pages/shared/shared' ? { token: ids.shareToken } : { id: String(ids.request) }
  if (comp.instance.onLoad) await comp.instance.onLoad(query)
  await settled()

  const prefixes = new Set()
  comp.dom.querySelectorAll('[class]').forEach((n) => String(n.className).split(/\s+/).forEach((c) => {
    const m = /^(.*--)/.exec(c)
    if (m) prefixes.add(m[1])
  }))
  const others = [...prefixes].filter((x) => x !== 'main--')
  const style = [css(path.join(ROOT, 'app.wxss'), ['main--', ...others]), css(path.join(ROOT, `${p}.wxss`), ['main--']), ...componentStyles(p).map((f) => css(f, others))].join('\n')
  const name = `${p.replace(/^pages\//, '').replace(/\/[^/]+$/, '').replace(/\//g, '-')}-${elder ? 'elder' : 'normal'}`
  const file = path.join(os.tmpdir(), `zlmp-${name}.html`)
  fs.writeFileSync(file, html(comp, style))
  execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=2', `--window-size=${WIDTH},${HEIGHT}`, `--screenshot=${path.join(OUT, `${name}.png`)}`, `file://${file}`], { stdio: 'ignore', timeout: 60000 })
  expect(fs.statSync(path.join(OUT, `${name}.png`)).size).toBeGreaterThan(1000)
})
