// Empty pickers look empty: a picker with nothing chosen shows its prompt
// (「请选择分类」…) in the placeholder grey of app.wxss, apart from a chosen
// value in full text colour — on the submit and profile pages as rendered.
const fs = require('fs')
const path = require('path')
const { ROOT, render, fire, call } = require('./helpers/mp')
const { resident, must } = require('./helpers/city')
const session = require('../utils/session')
const routes = require('../utils/routes')

const APP = fs.readFileSync(path.join(ROOT, 'app.wxss'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')

/** The colour a rule of app.wxss with exactly this selector sets. */
function colour(selector) {
  const m = new RegExp(`(^|\\})\\s*${selector.replace(/\./g, '\\.')}\\s*\\{([^}]*)\\}`).exec(APP)
  const c = m && /(^|;)\s*color:\s*(#[0-9a-f]{6})/i.exec(m[2])
  return c ? c[2].toLowerCase() : ''
}

/** WCAG contrast of two #rrggbb colours. */
function contrast(a, b) {
  const lum = (hex) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4))
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
  }
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}

test('the placeholder grey differs from a chosen value and stays readable', () => {
  const value = colour('.picker')
  const placeholder = colour('.picker.placeholder')
  expect(value).toMatch(/^#/)
  expect(placeholder).toMatch(/^#/)
  expect(placeholder).not.toBe(value)
  expect(contrast(value, placeholder)).toBeGreaterThan(2) // visibly lighter than a value
  expect(contrast(placeholder, '#f7f8fa')).toBeGreaterThanOrEqual(4.5) // still readable on the picker's background
})

test('submit: 「请选择分类」 is grey until a category is chosen', async () => {
  const r = await resident(`mp-forms-${Date.now().toString(36)}`, { name: '黄女士' })
  session.save({ token: r.token }, 'resident')
  session.setResident(r.resident)
  const cats = must(await call('GET', '/categories'), 'categories').items
  const page = render(routes.submit)
  await page.instance.onLoad({})
  const value = () => page.querySelector('#category-value').dom
  expect(value().textContent).toBe('请选择分类')
  expect(value().className).toMatch(/main--placeholder/)
  await fire(page, '#category', 'change', { value: 1 })
  expect(value().className).not.toMatch(/placeholder/)
  expect(value().textContent).toBe(page.instance.data.categoryNames[1])
  expect(cats.map((c) => c.name)).toContain(value().textContent)
})

test('profile: town and community pickers are grey until chosen', async () => {
  const login = must(await call('POST', '/auth/wechat', { code: `mp-forms-new-${Date.now().toString(36)}` }), 'login')
  session.save({ token: login.token }, 'resident')
  session.setResident(login.resident)
  const page = render(routes.profile)
  await page.instance.onLoad({})
  expect(page.querySelector('#town-value').dom.className).toMatch(/main--placeholder/)
  expect(page.querySelector('#community-value').dom.className).toMatch(/main--placeholder/)
  await fire(page, '#town-picker', 'change', { value: 0 })
  expect(page.querySelector('#town-value').dom.className).not.toMatch(/placeholder/)
  expect(page.querySelector('#community-value').dom.className).toMatch(/main--placeholder/)
  await fire(page, '#community-picker', 'change', { value: 0 })
  expect(page.querySelector('#community-value').dom.className).not.toMatch(/placeholder/)
})
