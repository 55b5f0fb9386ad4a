import { choose, expect, field, must, pickDate, resident, shanghaiToday, signIn, snap, staffToken, submit, test } from '../helpers'

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10)

test('a desk cadre accepts, invites a department, the department answers, the cadre resolves; the resident sees the result', async ({ page, browser, ip }) => {
  const res = await resident()
  const req = await submit(res.token, '兆祥路口的路灯连续三晚不亮，老人夜间出行很不方便')

  // The cadre of 祖庙街道 finds the item in the inbox by its number.
  await signIn(page, 'zumiao_cadre')
  await expect(page).toHaveURL(/\/work\/inbox/)
  await page.getByPlaceholder('编号开头').fill(req.number)
  await page.getByTestId('inbox-search').click()
  await page.getByTestId(`item-${req.number}`).click()
  await expect(page.getByTestId('item-content')).toContainText('路灯连续三晚不亮')
  await expect(page.getByTestId('contact')).toContainText('测试居民')

  // The buttons are the actions the server names for a submitted item.
  const detail = await must<{ actions: string[] }>('GET', `/work/requests/${req.id}`, await staffToken('zumiao_cadre'))
  for (const a of detail.actions) await expect(page.getByTestId(`act-${a}`)).toBeVisible()
  await expect(page.getByTestId('act-resolve')).toHaveCount(0)

  await page.getByTestId('act-accept').click()
  await field(page, 'note').fill('已受理，联系供电所排查线路')
  await page.getByTestId('action-submit').click()
  await expect(page.getByTestId('item-status')).toHaveText('办理中')

  await page.getByTestId('act-invite').click()
  await choose(page, page.getByTestId('field-department_id').locator('.el-select'), '禅城区人力资源和社会保障局')
  await field(page, 'message').fill('请协助核实沿街照明设施的维护责任单位')
  await pickDate(page, 'due_date', addDays(shanghaiToday(), 5))
  await page.getByTestId('action-submit').click()
  await expect(page.getByTestId('item-invitations')).toContainText('禅城区人力资源和社会保障局')

  // The department answers in its own console.
  const ctx = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  const dept = await ctx.newPage()
  await signIn(dept, 'chancheng_hrss')
  await expect(dept).toHaveURL(/\/work\/invitations/)
  const row = dept.getByTestId('invitations').locator('tr', { hasText: req.number })
  await row.getByRole('button', { name: '接受' }).click()
  await expect(row.getByRole('button', { name: '答复' })).toBeVisible()
  await row.getByRole('button', { name: '答复' }).click()
  await dept.locator('.el-message-box input').fill('经核实，该路段照明由区城管局负责，已转告其维修班组')
  await dept.getByRole('button', { name: '确定' }).click()
  await expect(row).toContainText('已答复')
  await snap(dept, 'department-replied')
  await ctx.close()

  // Back at the desk: the reply is on the item; the cadre resolves it.
  await page.reload()
  await expect(page.getByTestId('item-invitations')).toContainText('区城管局负责')
  await page.getByTestId('act-resolve').click()
  await field(page, 'result').fill('路灯线路已修复，三盏路灯恢复照明')
  await page.getByTestId('action-submit').click()
  await expect(page.getByTestId('item-status')).toHaveText('已解决')
  await expect(page.getByTestId('item-actions').getByRole('button')).toHaveCount(0)
  await expect(page.getByTestId('timeline')).toContainText('部门答复')
  await snap(page, 'item-resolved')

  // What the API holds: the resident's own view shows the result, and the invitation was answered.
  const mine = await must<any>('GET', `/my/requests/${req.id}`, res.token)
  expect(mine.status).toBe('resolved')
  expect(mine.result).toBe('路灯线路已修复，三盏路灯恢复照明')
  expect(mine.timeline.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['submit', 'accept', 'resolve']))
  const staffView = await must<any>('GET', `/work/requests/${req.id}`, await staffToken('zumiao_cadre'))
  expect(staffView.invitations).toHaveLength(1)
  expect(staffView.invitations[0]).toMatchObject({ status: 'replied', reply: '经核实，该路段照明由区城管局负责，已转告其维修班组' })
})
