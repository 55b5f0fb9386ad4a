import { ADMIN_PASSWORD, choose, expect, field, must, pickDate, shanghaiToday, signIn, snap, staffToken, test, unique } from '../helpers'

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10)
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay() // 0 Sunday … 6 Saturday

test('an admin sets a weekly rule for a new point; its sessions appear in the calendar; a make-up session is added on a shifted workday', async ({ page, browser, ip }) => {
  const today = shanghaiToday()
  // A Saturday a few days ahead that the statutory calendar leaves alone.
  const city = await staffToken('admin', ADMIN_PASSWORD)
  let makeUp = addDays(today, 3)
  while (weekday(makeUp) !== 6) makeUp = addDays(makeUp, 1)
  const statutory = async (d: string) =>
    (await must<{ items: { date: string; source: string }[] }>('GET', `/admin/calendar?year=${d.slice(0, 4)}`, city)).items.some((x) => x.date === d && x.source !== 'weekly')
  while (await statutory(makeUp)) makeUp = addDays(makeUp, 7)

  // The city admin marks that Saturday a make-up working day (调休) in the holiday calendar.
  const cityCtx = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  const cityPage = await cityCtx.newPage()
  await signIn(cityPage, 'admin', ADMIN_PASSWORD)
  await cityPage.locator('.el-menu-item', { hasText: '节假日' }).click()
  if (makeUp.slice(0, 7) !== today.slice(0, 7)) await cityPage.getByRole('button', { name: '下个月' }).click()
  await cityPage.getByTestId(`day-${makeUp}`).click()
  await cityPage.getByText('上班（调休补班）').click()
  await cityPage.getByPlaceholder('如：国庆节').fill('调休补班')
  await cityPage.getByTestId('holiday-save').click()
  await expect(cityPage.getByTestId(`day-${makeUp}`)).toContainText('调休补班')
  const day = (await must<{ items: any[] }>('GET', `/admin/calendar?year=${makeUp.slice(0, 4)}`, city)).items.find((x) => x.date === makeUp)
  expect(day).toMatchObject({ workday: true, source: 'override', name: '调休补班' })
  await cityCtx.close()

  // The town admin creates a point and sets its Tuesday rule.
  await signIn(page, 'zumiao_admin')
  await page.locator('.el-menu-item', { hasText: '驻点与排班' }).click()
  await page.getByTestId('point-new').click()
  const form = page.getByTestId('point-form')
  await choose(page, form.locator('.el-select').first(), '兆祥社区')
  const name = unique('兆祥社区晚间驻点')
  await form.locator('input[name=name]').fill(name)
  await form.locator('input[name=address]').fill('佛山市禅城区祖庙街道兆祥路 20 号')
  await page.getByTestId('point-save').click()
  await expect(page).toHaveURL(/\/admin\/points\/\d+/)
  const pointId = Number(/points\/(\d+)/.exec(page.url())![1])
  await expect(page.getByRole('heading', { name })).toBeVisible()

  await page.getByTestId('rule-save').click()
  await expect(page.getByText(/规则已保存，新生成 \d+ 场接待/)).toBeVisible()
  const horizon = addDays(today, 15)
  const generated = (await must<{ items: any[] }>('GET', `/admin/points/${pointId}/sessions?from=${today}&to=${horizon}`, await staffToken('zumiao_admin'))).items
  expect(generated.length).toBeGreaterThan(0)
  for (const s of generated) {
    expect(s).toMatchObject({ kind: 'regular', status: 'open' })
    expect(weekday(s.date)).toBe(2) // Tuesdays
  }
  // The calendar shows the generated sessions of the month on screen.
  for (const s of generated.filter((x) => x.date.slice(0, 7) === today.slice(0, 7))) await expect(page.getByTestId(`session-${s.date}`)).toBeVisible()

  // A make-up session on the shifted Saturday.
  await page.getByTestId('extra-open').click()
  await pickDate(page, 'extra_date', makeUp)
  await field(page, 'extra_reason').fill('调休补班日加开接待')
  await page.getByTestId('extra-save').click()
  await expect(page.getByTestId(`session-${makeUp}`)).toBeVisible()
  await expect(page.getByTestId(`session-${makeUp}`)).toContainText('补')
  await snap(page, 'point-calendar')

  const all = (await must<{ items: any[] }>('GET', `/admin/points/${pointId}/sessions?from=${today}&to=${addDays(makeUp, 1)}`, await staffToken('zumiao_admin'))).items
  const extra = all.find((s) => s.date === makeUp)
  expect(extra).toMatchObject({ kind: 'extra', status: 'open', reason: '调休补班日加开接待' })
  expect(extra.slots.length).toBeGreaterThan(0)
})
