// Likely duplicates, merging, and hot topics (本周热点) in the console. Everything
// happens in 大良街道's 金榜社区 with its demo cadre, where no other console
// journey files items (so what is similar is known, and the journeys that
// compare 祖庙街道's figures with the server are not disturbed).
import { expect, must, orgId, resident, signIn, snap, staffToken, submit, test } from '../helpers'

const COMMUNITY = '金榜社区'

/** A resident of 金榜社区 files an item (by default of 道路设施, roads). */
async function filed(content: string, category = 'roads') {
  const res = await resident(COMMUNITY, 'non_hukou')
  return { res, item: await submit(res.token, content, COMMUNITY, category) }
}

test('a cadre merges a duplicate into an accepted item; the API shows the merged status, the link and the follower', async ({ page }) => {
  const cadre = await staffToken('daliang_cadre')
  const primary = await filed('金榜路口的路灯坏了好几天，晚上一片漆黑，老人出行很危险')
  const waiting = await filed('金榜路口的路灯晚上不亮，一片漆黑，希望尽快派人维修路灯')
  const dup = await filed('金榜路口路灯坏了，晚上很黑，老人走路不安全，希望尽快修好')
  await must('POST', `/work/requests/${primary.item.id}/accept`, cadre, { note: '已受理，联系路灯所' })

  // The server's own view of the duplicate's neighbours: the accepted one can take it, the waiting one not yet.
  const before = await must<any>('GET', `/work/requests/${dup.item.id}/similar`, cadre)
  const byId = new Map<number, any>(before.duplicates.map((d: any) => [d.id, d]))
  expect(byId.get(primary.item.id)?.can_merge_into).toBe(true)
  expect(byId.get(waiting.item.id)?.can_merge_into).toBe(false)

  await signIn(page, 'daliang_cadre')
  await page.getByPlaceholder('编号开头').fill(dup.item.number)
  await page.getByTestId('inbox-search').click()
  await page.getByTestId(`item-${dup.item.number}`).click()
  const similar = page.getByTestId('similar')
  await expect(similar.getByTestId(`dup-${primary.item.number}`)).toContainText('办理中')
  await expect(similar.getByTestId(`dup-${primary.item.number}`).getByTestId('merge-into')).toBeEnabled()
  await expect(similar.getByTestId(`dup-${waiting.item.number}`).getByTestId('merge-into')).toBeDisabled()
  await snap(page, 'item-duplicates')

  // Merge, with confirmation: cancelling changes nothing.
  await similar.getByTestId(`dup-${primary.item.number}`).getByTestId('merge-into').click()
  const dialog = page.locator('.el-dialog', { hasText: '合并重复诉求' })
  await expect(dialog).toContainText(`将本诉求 ${dup.item.number} 合并到 ${primary.item.number}`)
  await expect(dialog).toContainText('合并后不能撤销')
  await dialog.getByRole('button', { name: '取消' }).click()
  expect((await must<any>('GET', `/work/requests/${dup.item.id}`, cadre)).status).toBe('submitted')
  await similar.getByTestId(`dup-${primary.item.number}`).getByTestId('merge-into').click()
  await page.getByTestId('merge-note').fill('同一路口的路灯，一并维修')
  await page.getByTestId('merge-submit').click()
  await expect(page.getByTestId('item-status')).toHaveText('已合并')
  await expect(page.getByTestId('merged-into')).toContainText(primary.item.number)
  await expect(page.getByTestId('item-actions').getByRole('button')).toHaveCount(0)
  await expect(page.getByTestId('timeline')).toContainText('合并到其他诉求')
  await snap(page, 'item-merged')

  // What the API holds: merged with its link, the resident follows the primary.
  const merged = await must<any>('GET', `/work/requests/${dup.item.id}`, cadre)
  expect(merged).toMatchObject({ status: 'merged', duplicate_of: primary.item.id })
  const mine = await must<any>('GET', `/my/requests/${dup.item.id}`, dup.res.token)
  expect(mine.status).toBe('merged')
  const follows = await must<{ items: any[] }>('GET', '/my/follows', dup.res.token)
  expect(follows.items).toEqual([expect.objectContaining({ id: primary.item.id, via_request_id: dup.item.id })])
  const links = await must<any>('GET', `/work/requests/${primary.item.id}/similar`, cadre)
  expect(links.followers).toBe(1)
  expect(links.merged.map((m: { id: number }) => m.id)).toEqual([dup.item.id])

  // The link leads to the primary, which lists the merged item and its follower.
  await page.getByTestId('primary-link').click()
  await expect(page).toHaveURL(new RegExp(`/work/items/${primary.item.id}$`))
  await expect(page.getByTestId('merged')).toContainText(dup.item.number)
  await expect(page.getByTestId('followers')).toContainText('另有 1 位群众关注')
  await expect(page.getByTestId('timeline')).toContainText('并入重复诉求')

  // The statistics count it as merged, as the API does.
  await page.locator('.el-menu-item', { hasText: '统计分析' }).click()
  await expect(page.getByTestId('stats-rate')).toBeVisible()
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear()
  const town = await orgId('大良街道')
  const stats = await must<any>('GET', `/work/stats?org_id=${town}&from=${year}-01-01&to=${year + 1}-01-01&group=month`, cadre)
  expect(stats.merged).toBeGreaterThanOrEqual(1)
  for (const key of ['collected', 'merged', 'rejected', 'open']) {
    await expect(page.getByTestId(`stat-${key}`).locator('.val')).toHaveText(stats[key].toLocaleString('zh-CN'))
  }
})

test('hot topics: the statistics page and the session desk show what /work/topics groups', async ({ page }) => {
  const cadre = await staffToken('daliang_cadre')
  for (const t of ['垃圾站周末没人清运，垃圾堆到路边，臭气熏天', '小区垃圾站的垃圾周末没人清运，堆满了很臭', '周末垃圾站没人清运，垃圾成堆发臭招苍蝇']) {
    await filed(t, 'sanitation')
  }

  // The town's topics since its last session (on demand), as the API groups them.
  const town = await orgId('大良街道')
  const api = await must<any>('GET', `/work/topics?org_id=${town}`, cadre)
  expect(api.topics.length).toBeGreaterThanOrEqual(1)
  const top = api.topics[0]
  expect(top.count).toBeGreaterThanOrEqual(3)

  await signIn(page, 'daliang_cadre')
  await page.locator('.el-menu-item', { hasText: '统计分析' }).click()
  const panel = page.getByTestId('topics')
  await expect(panel).toContainText(`${api.items} 件诉求，${api.topics.length} 个话题`)
  await expect(panel.getByTestId('topic-0')).toContainText(`${top.count} 件`)
  for (const k of top.keywords.slice(0, 5)) await expect(panel.getByTestId('topic-0')).toContainText(k)
  await expect(panel.getByTestId('topic-0')).toContainText(top.numbers[0])

  // A longer period asks the API for it.
  const from = new Date(Date.now() + 8 * 3600_000 - 29 * 86400_000).toISOString().slice(0, 10)
  const month = await must<any>('GET', `/work/topics?org_id=${town}&from=${from}`, cadre)
  await panel.getByTestId('topics-period').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '近 30 天' }).click()
  await expect(panel).toContainText(`${from} 至今`)
  await expect(panel.getByTestId('topics-counts')).toContainText(`${month.items} 件诉求，${month.topics.length} 个话题`)
  await snap(page, 'stats-topics')

  // The session desk, before the session opens: 本周热点 of the point (its community's items).
  const sessions = await must<{ items: any[] }>('GET', '/work/sessions?page_size=50', cadre)
  // The desk opens on today's session, else the first listed (as the page chooses).
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
  const next = sessions.items.find((s) => s.date === today && s.status !== 'cancelled') ?? sessions.items[0]
  expect(next.status).toBe('open')
  const atPoint = await must<any>('GET', `/work/topics?point_id=${next.point_id}`, cadre)
  await page.locator('.el-menu-item', { hasText: '驻点接待' }).click()
  const desk = page.getByTestId('topics')
  await expect(desk).toContainText('本周热点')
  await expect(desk).toContainText(`${atPoint.items} 件诉求，${atPoint.topics.length} 个话题`)
  await expect(desk.getByTestId('topic-0')).toContainText(`${atPoint.topics[0].count} 件`)
  for (const k of atPoint.topics[0].keywords.slice(0, 5)) await expect(desk.getByTestId('topic-0')).toContainText(k)
  await snap(page, 'desk-topics')
})
