import { ADMIN_PASSWORD, baseURL, call, expect, must, nextIp, signIn, snap, staffToken, test, unique } from '../helpers'

/** Files an item through Open311 as an integrator would (form-encoded, JSON answer). */
async function open311Post(form: Record<string, string>) {
  const res = await fetch(`${baseURL()}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': nextIp() },
    body: new URLSearchParams(form).toString(),
  })
  return { status: res.status, body: (await res.json()) as any[] }
}

test('a city admin adds an integrator and issues a key that works until it is revoked', async ({ page }) => {
  const name = unique('12345 热线 ')
  await signIn(page, 'admin', ADMIN_PASSWORD)
  await page.locator('.el-menu-item', { hasText: '接口对接' }).click()
  await expect(page).toHaveURL(/\/admin\/integrators$/)

  await page.getByTestId('integrator-new').click()
  const form = page.getByTestId('integrator-form')
  await form.locator('input[name=name]').fill(name)
  await form.locator('input[name=contact]').fill('运维值班 0757-12345')
  await page.getByTestId('integrator-save').click()
  await expect(page).toHaveURL(/\/admin\/integrators\/\d+$/)
  const id = Number(page.url().split('/').pop())
  await expect(page.getByTestId('keys')).toContainText('尚未签发密钥')

  // Issue a key: it is shown once, with a warning and a copy button.
  await page.getByTestId('key-issue').click()
  await page.getByTestId('key-form').locator('input[name=note]').fill('生产环境')
  await page.getByTestId('key-issue-submit').click()
  const shown = page.getByTestId('issued-key')
  await expect(shown).toHaveValue(/^zl311_.{43}$/)
  await expect(page.locator('.el-dialog', { hasText: '密钥已签发' })).toContainText('此密钥只显示这一次')
  const key = await shown.inputValue()
  await snap(page, 'key-issued')
  // Closing without copying asks first; after that the key is gone from the page.
  await page.getByTestId('key-done').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await expect(page.getByTestId('issued-key')).toHaveCount(0)

  // What the API holds: one active key, by its prefix only, never used.
  const city = await staffToken('admin', ADMIN_PASSWORD)
  let keys = (await must<{ items: any[] }>('GET', `/admin/integrators/${id}/keys`, city)).items
  expect(keys).toHaveLength(1)
  expect(keys[0]).toMatchObject({ prefix: key.slice(0, 12), status: 'active', note: '生产环境', last_used_at: null, rate_per_minute: 60 })
  expect(JSON.stringify(keys)).not.toContain(key)
  await expect(page.getByTestId(`key-status-${keys[0].id}`)).toHaveText('有效')
  await expect(page.getByTestId(`key-used-${keys[0].id}`)).toHaveText('从未')

  // The key files an item through Open311.
  const filed = await open311Post({
    api_key: key, service_code: 'sanitation', lat: '23.0306', long: '113.1147',
    description: '兆祥路垃圾桶满溢两天无人清运', first_name: '伟', last_name: '张', phone: '13800138000',
  })
  expect(filed.status).toBe(201)
  expect(filed.body[0].service_request_id).toMatch(/^ZL/)
  await page.reload()
  await expect(page.getByTestId(`key-used-${keys[0].id}`)).not.toHaveText('从未')

  // Revoke, with confirmation: cancelling keeps it, confirming stops it at once.
  await page.getByTestId(`key-revoke-${keys[0].id}`).click()
  await expect(page.locator('.el-message-box')).toContainText('不能恢复')
  await page.locator('.el-message-box').getByRole('button', { name: '取消' }).click()
  await expect(page.getByTestId(`key-status-${keys[0].id}`)).toHaveText('有效')
  await page.getByTestId(`key-revoke-${keys[0].id}`).click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await expect(page.getByTestId(`key-status-${keys[0].id}`)).toHaveText('已吊销')
  await expect(page.getByTestId('active-keys')).toHaveText('0')
  await snap(page, 'key-revoked')

  keys = (await must<{ items: any[] }>('GET', `/admin/integrators/${id}/keys`, city)).items
  expect(keys[0].status).toBe('revoked')
  expect(keys[0].last_used_at).not.toBeNull()
  expect(keys[0].revoked_at).not.toBeNull()
  const refused = await open311Post({ api_key: key, service_code: 'sanitation', address_string: '兆祥社区', description: '再次反映垃圾桶满溢' })
  expect(refused.status).toBe(403)
  expect(refused.body[0].code).toBe(403)

  // The integrator is in the list with no active key and its last call.
  await page.locator('.el-menu-item', { hasText: '接口对接' }).click()
  const row = page.getByTestId('integrators').locator('tr', { hasText: name })
  await expect(row).toContainText('运维值班 0757-12345')
  await expect(row.locator('td').nth(2)).toHaveText('0')
  await expect(row.locator('td').nth(3)).not.toHaveText('从未')
})

test('a city admin gives a category an Open311 service definition that integrators must answer', async ({ page }) => {
  const city = await staffToken('admin', ADMIN_PASSWORD)
  const roads = (await must<{ items: any[] }>('GET', '/admin/categories', city)).items.find((c) => c.code === 'roads')
  await must('PUT', `/admin/categories/${roads.id}/attributes`, city, { attributes: [] })

  await signIn(page, 'admin', ADMIN_PASSWORD)
  await page.locator('.el-menu-item', { hasText: '类别与时限' }).click()
  await page.getByTestId('attributes-roads').click()
  const dialog = page.getByTestId('attributes')
  await expect(dialog).toContainText('此类别没有附加字段')
  await page.getByTestId('attr-add').click()
  const first = page.getByTestId('attr-0')
  await first.getByTestId('attr-code').fill('kind')
  await first.getByTestId('attr-description').fill('损坏类型')
  await first.getByTestId('attr-type').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '单选' }).click()
  await first.getByTestId('attr-required').click()
  const keys = first.getByTestId('attr-value-key')
  const names = first.getByTestId('attr-value-name')
  await keys.nth(0).fill('pothole')
  await names.nth(0).fill('坑洼')
  await first.getByTestId('attr-value-add').click()
  await keys.nth(1).fill('lamp')
  await names.nth(1).fill('路灯损坏')
  await page.getByTestId('attr-add').click()
  await page.getByTestId('attr-1').getByTestId('attr-code').fill('lamp_no')
  await page.getByTestId('attr-1').getByTestId('attr-description').fill('路灯编号（如有）')
  await snap(page, 'category-attributes')
  await page.getByTestId('attr-save').click()
  await expect(page.getByText('附加字段已保存')).toBeVisible()

  // What the API holds, and what integrators read and must answer.
  const attrs = (await must<{ items: any[] }>('GET', `/admin/categories/${roads.id}/attributes`, city)).items
  expect(attrs).toEqual([
    expect.objectContaining({ code: 'kind', datatype: 'singlevaluelist', required: true, variable: true, order: 1, description: '损坏类型',
      values: [{ key: 'pothole', name: '坑洼' }, { key: 'lamp', name: '路灯损坏' }] }),
    expect.objectContaining({ code: 'lamp_no', datatype: 'string', required: false, order: 2, description: '路灯编号（如有）', values: [] }),
  ])
  const def = await (await fetch(`${baseURL()}/open311/v2/services/roads.json`)).json()
  expect(def.attributes.map((a: { code: string }) => a.code)).toEqual(['kind', 'lamp_no'])
  const it = await must<any>('POST', '/admin/integrators', city, { name: unique('城市运行平台 ') })
  const issued = await must<{ key: string }>('POST', `/admin/integrators/${it.id}/keys`, city, {})
  const base = { api_key: issued.key, service_code: 'roads', lat: '23.0306', long: '113.1147', description: '兆祥路人行道有一处坑洼' }
  expect((await open311Post(base)).status).toBe(400) // kind is required
  expect((await open311Post({ ...base, 'attribute[kind]': 'pothole' })).status).toBe(201)

  // Reopened, the editor shows the stored definition in its order.
  await page.reload()
  await page.getByTestId('attributes-roads').click()
  await expect(page.getByTestId('attr-0').getByTestId('attr-code')).toHaveValue('kind')
  await expect(page.getByTestId('attr-1').getByTestId('attr-code')).toHaveValue('lamp_no')
})

test('only city admins see the integrators; the API refuses the others', async ({ page }) => {
  await signIn(page, 'zumiao_admin')
  await expect(page.locator('.el-menu-item', { hasText: '接口对接' })).toHaveCount(0)
  await page.goto(`${baseURL()}/console/admin/integrators`)
  await expect(page).toHaveURL(/\/admin\/accounts/)
  const town = await staffToken('zumiao_admin')
  expect((await call('GET', '/admin/integrators', town)).status).toBe(403)
  expect((await call('POST', '/admin/integrators', town, { name: unique('越权 ') })).status).toBe(403)
  // A town admin reads a category's definition but cannot change it.
  const roads = (await must<{ items: any[] }>('GET', '/admin/categories', town)).items.find((c) => c.code === 'roads')
  expect((await call('PUT', `/admin/categories/${roads.id}/attributes`, town, { attributes: [] })).status).toBe(403)
  await page.locator('.el-menu-item', { hasText: '类别与时限' }).click()
  await page.getByTestId('attributes-roads').click()
  await expect(page.getByTestId('attributes')).toContainText('仅市级管理员可以修改')
  await expect(page.getByTestId('attr-save')).toHaveCount(0)
})
