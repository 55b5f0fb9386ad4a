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
test.beforeAll(async () => {
  // A handful of items in several states, from hukou and non-hukou residents.
  const cadre = await staffToken('zumiao_cadre')
  const texts = [
    '兆祥路口的路灯连续三晚不亮，老人夜间出行很不方便',
    '小区门口人行道砖块松动，雨天容易溅水摔倒',
    '菜市场周边早上占道经营，道路拥堵',
    '楼下垃圾分类投放点没有按时清运，气味很大',
    '外来务工人员子女入学咨询，希望了解积分入学流程',
    '公园健身器材损坏，存在安全隐患',
  ]
  const ids: number[] = []
  for (const [i, t] of texts.entries()) {
    const r = await resident('兆祥社区', i % 2 ? 'hukou' : 'non_hukou')
    ids.push((await submit(r.token, t)).id)
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
      await shot(page, `item${suffix}`)
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
      await page.goto(`${baseURL()}/console/admin/holidays`)
      await expect(page.getByTestId('holiday-calendar')).toBeVisible()
      await shot(page, 'holidays')
      await page.goto(`${baseURL()}/docs`)
      await expect(page.locator('.swagger-ui .info')).toBeVisible({ timeout: 20_000 })
      await shot(page, 'docs')
    })
  })
}

