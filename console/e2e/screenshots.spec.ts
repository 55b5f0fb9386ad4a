// `make screenshots`: the main screens with a little data, at 1366×768 (the
// common office screen) into docs/screenshots/, and a few at 1920×1080.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { ADMIN_PASSWORD, baseURL, expect, must, resident, signIn, staffToken, submit, test } from './helpers'

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')

async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle')
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 4000 }).catch(() => {})
  await page.waitForTimeout(900) // chart animations
  await page.screenshot({ path: join(OUT, `${name}.png`) })
}

test.describe.configure({ mode: 'serial' })

let itemId = 0
let duplicateId = 0
let integratorId = 0
test.beforeAll(async () => {
  // A handful of items in several states, from hukou and non-hukou residents.
  const cadre = await staffToken('zumiao_cadre')
  const texts = [
    ['兆祥路口的路灯连续三晚不亮，老人夜间出行很不方便', 'roads'],
    ['小区门口人行道砖块松动，雨天容易溅水摔倒', 'roads'],
    ['菜市场周边早上占道经营，道路拥堵', 'other'],
    ['楼下垃圾分类投放点没有按时清运，气味很大', 'sanitation'],
    ['外来务工人员子女入学咨询，希望了解积分入学流程', 'school_enrolment'],
    ['公园健身器材损坏，存在安全隐患', 'other'],
  ]
  const ids: number[] = []
  for (const [i, [t, category]] of texts.entries()) {
    const r = await resident('兆祥社区', i % 2 ? 'hukou' : 'non_hukou')
    ids.push((await submit(r.token, t, '兆祥社区', category)).id)
  }
  itemId = ids[0]
  for (const id of ids.slice(0, 4)) await must('POST', `/work/requests/${id}/accept`, cadre, { note: '已受理' })
  await must('POST', `/work/requests/${ids[0]}/progress`, cadre, { note: '已联系供电所，约定明天上午排查', public: true })
  await must('POST', `/work/requests/${ids[1]}/resolve`, cadre, { result: '已更换松动砖块' })
  await must('POST', `/work/requests/${ids[2]}/respond`, cadre, { result: '已联合城管加强早市巡查' })
  const due = new Date(Date.now() + 8 * 3600_000 + 5 * 86400_000).toISOString().slice(0, 10)
  const depts = await must<{ departments: { id: number; name: string }[] }>('GET', `/work/requests/${ids[3]}/targets`, cadre)
  const hrss = depts.departments.find((d) => d.name.includes('人力资源')) ?? depts.departments[0]
  await must('POST', `/work/requests/${ids[3]}/invite`, cadre, { department_id: hrss.id, message: '请协助核实清运责任单位', due_date: due })

  // Look-alike items: one merged into the first, one still waiting (the item page's 相似诉求, the topics).
  const alike = [
    ['兆祥路口路灯晚上不亮，黑漆漆的，老人夜里走路很不方便', 'roads'],
    ['兆祥路口的路灯坏了三天了，晚上出行很不方便', 'roads'],
    ['小区垃圾投放点好几天没清运，气味很大', 'sanitation'],
  ]
  const more: number[] = []
  for (const [t, category] of alike) more.push((await submit((await resident('兆祥社区', 'non_hukou')).token, t, '兆祥社区', category)).id)
  await must('POST', `/work/requests/${more[0]}/merge`, cadre, { into: ids[0], note: '同一路口的路灯' })
  duplicateId = more[1]

  // Open311: an integrator with a key in use and a revoked one; a category's service definition.
  const city = await staffToken('admin', ADMIN_PASSWORD)
  const hotline = await must<{ id: number }>('POST', '/admin/integrators', city, { name: '12345 政务服务热线', contact: '运维值班 0757-12345' })
  integratorId = hotline.id
  const old = await must<{ id: number }>('POST', `/admin/integrators/${hotline.id}/keys`, city, { note: '测试环境', rate_per_minute: 30 })
  await must('POST', `/admin/integrators/${hotline.id}/keys/${old.id}/revoke`, city)
  const live = await must<{ key: string }>('POST', `/admin/integrators/${hotline.id}/keys`, city, { note: '生产环境', rate_per_minute: 120 })
  await fetch(`${baseURL()}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: live.key, service_code: 'sanitation', lat: '23.0306', long: '113.1147', description: '兆祥路垃圾桶满溢两天无人清运' }).toString(),
  })
  await must('POST', '/admin/integrators', city, { name: '佛山城市运行管理平台', contact: '数据中心 0757-83000000' })
  const roads = (await must<{ items: { id: number; code: string }[] }>('GET', '/admin/categories', city)).items.find((c) => c.code === 'roads')!
  await must('PUT', `/admin/categories/${roads.id}/attributes`, city, { attributes: [
    { code: 'kind', datatype: 'singlevaluelist', required: true, description: '损坏类型', values: [{ key: 'pothole', name: '坑洼' }, { key: 'lamp', name: '路灯损坏' }, { key: 'cover', name: '井盖缺失' }] },
    { code: 'lamp_no', datatype: 'string', description: '路灯编号（如有）', datatype_description: '灯杆上的白色编号牌' },
  ] })
})

for (const [w, h] of [[1366, 768], [1920, 1080]] as const) {
  const suffix = w === 1366 ? '' : `-${w}`
  test.describe(`${w}×${h}`, () => {
    test.use({ viewport: { width: w, height: h } })

    test(`sign-in page ${w}`, async ({ page }) => {
      await page.goto(baseURL() + '/console/')
      await expect(page.getByRole('button', { name: '登录' })).toBeVisible()
      if (!suffix) await shot(page, 'login')
    })

    test(`desk cadre ${w}`, async ({ page }) => {
      await signIn(page, 'zumiao_cadre')
      await expect(page.getByTestId('inbox')).toContainText('ZL')
      await shot(page, `inbox${suffix}`)
      await page.goto(`${baseURL()}/console/work/items/${itemId}`)
      await expect(page.getByTestId('timeline')).toContainText('进展')
      await expect(page.getByTestId('merged')).toBeVisible()
      await shot(page, `item${suffix}`)
      if (suffix) return
      await page.goto(`${baseURL()}/console/work/items/${duplicateId}`)
      await expect(page.getByTestId('duplicates')).toBeVisible()
      await shot(page, 'item-duplicates')
      await page.locator('.el-menu-item', { hasText: '驻点接待' }).click()
      await expect(page.getByTestId('topics')).toContainText('件诉求')
      await shot(page, 'desk-topics')
    })

    test(`admin screens ${w}`, async ({ page }) => {
      await signIn(page, 'zumiao_admin')
      await expect(page.getByTestId('accounts')).toContainText('zumiao_cadre')
      await shot(page, `accounts${suffix}`)
      const points = await must<{ items: { id: number }[] }>('GET', '/admin/points', await staffToken('zumiao_admin'))
      await page.goto(`${baseURL()}/console/admin/points/${points.items[0].id}`)
      await expect(page.getByTestId('session-calendar')).toBeVisible()
      await shot(page, `point-calendar${suffix}`)
    })

    test(`city admin ${w}`, async ({ page }) => {
      await signIn(page, 'admin', ADMIN_PASSWORD)
      await page.goto(`${baseURL()}/console/stats`)
      await expect(page.getByTestId('stats-rate')).toContainText('%')
      await shot(page, `stats${suffix}`)
      if (suffix) return
      await page.goto(`${baseURL()}/console/admin/integrators`)
      await expect(page.getByTestId('integrators')).toContainText('12345 政务服务热线')
      await shot(page, 'integrators')
      await page.goto(`${baseURL()}/console/admin/integrators/${integratorId}`)
      await expect(page.getByTestId('keys')).toContainText('已吊销')
      await shot(page, 'integrator-keys')
      await page.goto(`${baseURL()}/console/admin/categories`)
      await page.getByTestId('attributes-roads').click()
      await expect(page.getByTestId('attr-1')).toBeVisible()
      await shot(page, 'category-attributes')
      await page.goto(`${baseURL()}/console/admin/holidays`)
      await expect(page.getByTestId('holiday-calendar')).toBeVisible()
      await shot(page, 'holidays')
      await page.goto(`${baseURL()}/docs`)
      await expect(page.locator('.swagger-ui .info')).toBeVisible({ timeout: 20_000 })
      await shot(page, 'docs')
    })
  })
}

