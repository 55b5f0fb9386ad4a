import { ADMIN_PASSWORD, call, expect, must, resident, signIn, snap, sql, staffToken, submit, test } from '../helpers'

test('a city admin retries a dead notification, and the worker delivers it', async ({ page }) => {
  // A real notification: accepting a resident's item queues "request_accepted" for them.
  const res = await resident()
  const req = await submit(res.token, '楼下垃圾分类投放点没有按时清运，气味很大')
  await must('POST', `/work/requests/${req.id}/accept`, await staffToken('zumiao_cadre'), {})
  const id = Number(sql(`SELECT id FROM outbox WHERE event = 'request_accepted' AND recipient_kind = 'resident' AND recipient_id = ${res.id} ORDER BY id DESC LIMIT 1`))
  expect(id).toBeGreaterThan(0)
  // Let the worker finish its own first delivery, so it cannot overwrite the fixture below.
  await expect.poll(() => sql(`SELECT state FROM outbox WHERE id = ${id}`), { timeout: 30_000 }).not.toBe('pending')
  // WeChat kept failing (fixture: what the worker writes after its last try).
  sql(`UPDATE outbox SET state = 'dead', attempts = 8, last_error = 'errcode=45011 api minute-quota reach limit', sent_at = NULL WHERE id = ${id}`)

  const city = await staffToken('admin', ADMIN_PASSWORD)
  const dead = await must<{ items: { id: number }[] }>('GET', '/admin/outbox?state=dead&page_size=50', city)
  expect(dead.items.map((m) => m.id)).toContain(id)

  await signIn(page, 'admin', ADMIN_PASSWORD)
  await page.locator('.el-menu-item', { hasText: '通知队列' }).click()
  await expect(page.getByTestId('outbox')).toContainText('45011')
  await snap(page, 'outbox-dead')
  await page.getByTestId(`retry-${id}`).click()
  await expect(page.getByText('已重新排队发送')).toBeVisible()
  await expect(page.getByTestId(`retry-${id}`)).toHaveCount(0)

  // What the API holds: no longer dead; the worker sends it to (fake) WeChat.
  await expect
    .poll(async () => (await must<{ items: { id: number; state: string }[] }>('GET', '/admin/outbox?state=sent&page_size=50', city)).items.some((m) => m.id === id), {
      timeout: 30_000,
    })
    .toBe(true)
  const stillDead = await must<{ items: { id: number }[] }>('GET', '/admin/outbox?state=dead&page_size=50', city)
  expect(stillDead.items.map((m) => m.id)).not.toContain(id)
  await page.getByTestId('outbox-state').getByText('已发送').click()
  await expect(page.getByTestId('outbox')).toContainText(String(id))
})

test('a town admin has no notification queue', async ({ page }) => {
  await signIn(page, 'zumiao_admin')
  await expect(page.locator('.el-menu-item', { hasText: '通知队列' })).toHaveCount(0)
  await page.goto(page.url().replace(/\/console\/.*/, '/console/admin/outbox'))
  await expect(page).toHaveURL(/\/admin\/accounts/)
  expect((await call('GET', '/admin/outbox?state=dead', await staffToken('zumiao_admin'))).status).toBe(403)
})
