// Photos seen on a phone: the resident's photos and the cadre's result
// photos load on the request and item pages through short-lived signed links
// (no Bearer header), open with wx.previewImage, and a tampered or expired
// link is refused with 403.
const http = require('http')
const { render, fire, tap, call, asCadre, wxState } = require('./helpers/mp')
const { resident, photoFile, must } = require('./helpers/city')
const api = require('../utils/api')
const session = require('../utils/session')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)

/** GET without any header but the client address: {status, type, size}. */
function load(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { 'X-Forwarded-For': global.__clientIP() } }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] || '', size: Buffer.concat(chunks).length }))
      })
      .on('error', reject)
  })
}

test('the resident sees the photo and the cadre\'s result photo; links are signed; tampered or expired ones get 403', async () => {
  const owner = await resident(`mp-photo-${STAMP}`, { name: '吴阿姨' })
  session.save({ token: owner.token }, 'resident')
  session.setResident(owner.resident)
  const up = await api.upload(photoFile())
  const item = must(await call('POST', '/my/requests', { category_id: 1, content: `单元门口的台阶破损了，老人容易绊倒（${STAMP}）`, community_id: owner.resident.community_id, image_ids: [up.id] }, owner.token), 'submit')

  const page = render(routes.request)
  await page.instance.onLoad({ id: String(item.id) })
  expect(page.instance.data.state).toBe('ready')
  const thumb = page.querySelector(`#photo-${up.id}`)
  expect(thumb).toBeTruthy()
  const src = page.instance.data.photos[0].src
  expect(src.startsWith(`${process.env.ZL_TEST_BASE_URL}/api/v1/images/${up.id}?exp=`)).toBe(true)
  const ok = await load(src)
  expect(ok).toMatchObject({ status: 200 })
  expect(ok.type).toMatch(/^image\/jpeg/)
  expect(ok.size).toBeGreaterThan(100)

  // a changed signature, another image's id or a moved expiry are refused
  const u = new URL(src)
  const sig = u.searchParams.get('sig')
  const tampered = new URL(src)
  tampered.searchParams.set('sig', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1))
  expect((await load(tampered.toString())).status).toBe(403)
  const expired = new URL(src)
  expired.searchParams.set('exp', String(Math.floor(Date.now() / 1000) - 60))
  expect((await load(expired.toString())).status).toBe(403)
  expect((await load(src.replace(`/images/${up.id}?`, `/images/${up.id + 1}?`))).status).toBe(403)

  // tapping opens it full screen
  await fire(page, `#photo-${up.id}`, 'tap')
  expect(wxState().previews).toEqual([{ current: src, urls: [src] }])

  // the cadre sees the same photo, accepts, and resolves with a result photo
  asCadre()
  const desk = render(routes.item)
  await desk.instance.onLoad({ id: String(item.id) })
  expect(desk.querySelector(`#photo-${up.id}`)).toBeTruthy()
  expect((await load(desk.instance.data.photos[0].src)).status).toBe(200)
  await fire(desk, '#action-accept', 'tap')
  await tap(desk, '#action-submit')
  expect(desk.instance.data.req.status).toBe('accepted')
  await fire(desk, '#action-resolve', 'tap')
  await fire(desk, '#field-result', 'input', { value: '已重新铺设台阶并做防滑处理' })
  wxState().chooseMedia = { type: 'image', tempFiles: [{ tempFilePath: photoFile(), size: 623, fileType: 'image' }] }
  await tap(desk, '#add-result-photo')
  expect(desk.instance.data.form.photos.map((p) => p.state)).toEqual(['done'])
  const resultId = desk.instance.data.form.photos[0].id
  await tap(desk, '#action-submit')
  expect(desk.instance.data.req.status).toBe('resolved')
  expect(desk.querySelector(`#result-photo-${resultId}`)).toBeTruthy()

  // the server's answer names the stages; the resident's page shows the result photo apart
  const detail = must(await call('GET', `/my/requests/${item.id}`, undefined, owner.token), 'detail')
  expect(detail.photos.map((p) => [p.id, p.stage])).toEqual([
    [up.id, 'submit'],
    [resultId, 'result'],
  ])
  session.save({ token: owner.token }, 'resident')
  const again = render(routes.request)
  await again.instance.onLoad({ id: String(item.id) })
  expect(again.querySelector(`#photo-${up.id}`)).toBeTruthy()
  expect(again.querySelector(`#result-photo-${resultId}`)).toBeTruthy()
  expect(again.instance.data.resultPhotos.map((p) => p.id)).toEqual([resultId])
  expect((await load(again.instance.data.resultPhotos[0].src)).status).toBe(200)
})
