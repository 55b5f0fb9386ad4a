import ExcelJS from 'exceljs'
import { ADMIN_PASSWORD, expect, must, resident, signIn, snap, staffToken, submit, test } from '../helpers'

test('the statistics page shows the figures of /admin/stats, and the XLSX download holds the same numbers', async ({ page }) => {
  // Some items of the year, one resolved, so the figures are not all zero.
  const res = await resident('兆祥社区', 'hukou')
  const a = await submit(res.token, '小区门口人行道砖块松动，雨天容易溅水摔倒')
  await submit(res.token, '菜市场周边早上占道经营，道路拥堵')
  const cadre = await staffToken('zumiao_cadre')
  await must('POST', `/work/requests/${a.id}/accept`, cadre, {})
  await must('POST', `/work/requests/${a.id}/resolve`, cadre, { result: '已更换松动砖块' })

  await signIn(page, 'admin', ADMIN_PASSWORD)
  await page.locator('.el-menu-item', { hasText: '统计分析' }).click()
  await expect(page.getByTestId('stats-rate')).toBeVisible()

  // The same question of the API: the city, this calendar year, by month (the page's defaults).
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear()
  const q = `from=${year}-01-01&to=${year + 1}-01-01&group=month`
  const api = await must<any>('GET', `/admin/stats?${q}`, await staffToken('admin', ADMIN_PASSWORD))
  expect(api.collected).toBeGreaterThanOrEqual(2)
  await expect(page.getByTestId('stats-rate')).toContainText(api.rate_pct)
  const shown = async (key: string) => (await page.getByTestId(`stat-${key}`).locator('.val').innerText()).replace(/,/g, '')
  for (const key of ['collected', 'resolved', 'responded', 'open', 'overdue']) expect(await shown(key)).toBe(String(api[key]))
  // The child-org table holds the API's rows.
  for (const row of api.by_org.filter((r: any) => r.collected > 0)) await expect(page.getByTestId('by-org')).toContainText(row.name)
  await snap(page, 'stats')

  // The Excel export of exactly this report opens and holds the same numbers.
  const download = page.waitForEvent('download')
  await page.getByTestId('export-xlsx').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^zhilian-stats-\d+-.*\.xlsx$/)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(await file.path())
  const num = (v: unknown) => Number(typeof v === 'object' && v !== null && 'result' in v ? (v as { result: unknown }).result : v)
  // 总体: one figure per row (指标, 数值).
  const overview = wb.getWorksheet('总体')!
  const figures = new Map<string, unknown>()
  overview.eachRow((row) => figures.set(String(row.getCell(1).value), row.getCell(2).value))
  expect(String(figures.get('机构'))).toBe(api.org.name)
  const byTitle: Record<string, string> = { 收集: 'collected', 已解决: 'resolved', 已答复: 'responded', 超期: 'overdue', 未办结: 'open', 提交: 'submitted' }
  for (const [title, key] of Object.entries(byTitle)) expect(num(figures.get(title)), title).toBe(api[key])
  expect(num(figures.get('解决答复率'))).toBeCloseTo(api.rate, 10)
  // 按下级机构: the same rows as the page's drill-down table.
  const orgs = wb.getWorksheet('按下级机构')!
  const header = (orgs.getRow(1).values as unknown[]).slice(1).map(String)
  const rows: Record<string, number> = {}
  orgs.eachRow((row, i) => {
    if (i > 1) rows[String(row.getCell(header.indexOf('机构') + 1).value)] = num(row.getCell(header.indexOf('收集') + 1).value)
  })
  for (const r of api.by_org) expect(rows[r.name], r.name).toBe(r.collected)
})
