import { call, choose, DEMO_PASSWORD, expect, must, orgId, pageToken, signIn, snap, staffToken, test, unique } from '../helpers'

test('a town admin creates a cadre, who must change the password and sees the town inbox; another town cannot see the account', async ({ page, browser, ip }) => {
  const username = unique('cadre_')
  await signIn(page, 'zumiao_admin')
  await expect(page).toHaveURL(/\/console\/admin\/accounts/)

  await page.getByTestId('account-new').click()
  const form = page.getByTestId('account-form')
  await form.locator('input[name=username]').fill(username)
  await form.locator('input[name=name]').fill('李新来')
  await form.locator('input[name=phone]').fill('13800001234')
  await choose(page, form.locator('.el-select').first(), /^祖庙街道/)
  await form.locator('input[name=password]').fill('Init2026pw')
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('accounts')).toContainText(username)
  await snap(page, 'account-created')

  // What the API now holds: an active cadre of 祖庙街道 who must change the password.
  const admin = await staffToken('zumiao_admin')
  const found = await must<{ items: any[] }>('GET', `/admin/accounts?q=${username}`, admin)
  expect(found.items).toHaveLength(1)
  const acc = found.items[0]
  expect(acc).toMatchObject({ username, name: '李新来', role: 'cadre', status: 'active', must_change_password: true, org_id: await orgId('祖庙街道') })

  // The cadre signs in, is sent to change the password, then lands on the town's inbox.
  const ctx = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  const cadre = await ctx.newPage()
  await signIn(cadre, username, 'Init2026pw')
  await expect(cadre).toHaveURL(/\/console\/password/)
  await cadre.locator('input[name=old_password]').fill('Init2026pw')
  await cadre.locator('input[name=new_password]').fill('Mine2026pw!')
  await cadre.locator('input[name=new_password_again]').fill('Mine2026pw!')
  await cadre.getByRole('button', { name: '确认修改' }).click()
  await expect(cadre).toHaveURL(/\/console\/work\/inbox/)
  await expect(cadre.getByTestId('who')).toContainText('祖庙街道')
  await expect(cadre.getByTestId('inbox')).toBeVisible()
  const token = await pageToken(cadre)
  const inbox = await must<{ items: { number: string }[] }>('GET', '/work/requests?page_size=20', token)
  for (const it of inbox.items.slice(0, 5)) await expect(cadre.getByTestId('inbox')).toContainText(it.number)
  await snap(cadre, 'cadre-inbox')
  expect((await must('GET', `/admin/accounts/${acc.id}`, admin)).must_change_password).toBe(false)
  expect((await call('POST', '/auth/staff', '', { username, password: 'Init2026pw' })).status).toBe(401)
  await ctx.close()

  // Another town's admin finds no such account, in the page and in the API.
  const other = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  const guicheng = await other.newPage()
  await signIn(guicheng, 'guicheng_admin')
  await guicheng.getByTestId('account-search').fill(username)
  await guicheng.getByRole('button', { name: '查询' }).click()
  await expect(guicheng.getByTestId('accounts')).toContainText('没有符合条件的账号')
  expect((await call('GET', `/admin/accounts/${acc.id}`, await staffToken('guicheng_admin'))).status).toBe(404)
  await other.close()
})

test('an ended sign-in goes back to the sign-in page, then to the page the user was on', async ({ page }) => {
  await signIn(page, 'zumiao_admin')
  await page.goto(page.url().replace(/\/console\/.*/, '/console/admin/categories'))
  await expect(page.getByRole('heading', { name: '类别与办理时限' })).toBeVisible()
  await page.waitForLoadState('networkidle') // the page's own calls are done before the token is revoked
  // The token is revoked elsewhere (as an admin's password reset or a disable would).
  expect((await call('POST', '/auth/logout', await pageToken(page))).status).toBe(200)
  await page.locator('.el-menu-item', { hasText: '账号管理' }).click()
  await expect(page).toHaveURL(/\/console\/login\?redirect=/)
  await expect(page.getByText('登录已失效')).toBeVisible()
  await page.locator('input[name=username]').fill('zumiao_admin')
  await page.locator('input[name=password]').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page).toHaveURL(/\/console\/admin\/accounts/)
  await expect(page.getByTestId('accounts')).toContainText('zumiao_cadre')
})
